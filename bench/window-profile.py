#!/usr/bin/env python3
"""bench/window-profile.py: how fast a run's groups could go on k threads (issue 14).

Reads the profile a run writes with -Dknetsim.window-profile=FILE (core's WindowProfile: every Advance
the partition's scheduler gave a group, which group's report let it go, and the events and CPU time
of the group's loop) and replays those Advances on k threads, each on the first free thread once its
group's previous Advance is done and, "as it went", every report the scheduler had taken before it gave
that Advance (with knetsim.sync = windows this is exactly the barrier), or, "its trigger", only the
report that let it go (optimistic: the bound may have needed others), or, "what it needed", for each
group only the report after which its clock allowed that horizon (the profile's R lines hold every group's
earliest time to act after each report, its E lines the graph between groups: the dependencies channel clocks
really have; for a barrier, "as it went" is exact). The ratio of all the groups'
work to that schedule's length is the speed-up these groups and horizons allow on k cores that are
equally fast and do not slow each other down: an estimate that the memory system, the scheduler's
messages and the JVM can only lower, with the dependencies as the profiled run met them (on one core
the reports come one after another, so "as it went" is pessimistic for channel clocks). Weighted by
CPU time and, independent of the machine, by events.

  taskset -c 0 java -XX:ActiveProcessorCount=16 -Dknetsim.window-profile=/tmp/wp \\
      -jar topology/target/knetsim.jar run configs/campus-1000.conf --duration 2s --out /tmp/wp-out
  bench/window-profile.py /tmp/wp.p0 [--threads 1,2,4,8,16]

-XX:ActiveProcessorCount=N makes the run cut its groups as N dispatcher threads would, on one core;
the CPU time is the thread's own, so time-slicing does not inflate it.
"""
import argparse
import collections
import heapq
import sys


def read(path):
    meta = {"groups": {}}
    advances = []                          # (group, from, horizon, trigger, seen), by index
    reports = []                           # Advance indexes, in the order their reports came in
    owns = []                              # after each report: every group's earliest time to act (None: never)
    edges = []                             # (from, to, delay) between groups
    ran = collections.defaultdict(list)    # group -> [(horizon, events, ns)] in order
    with open(path) as f:
        for line in f:
            p = line.split()
            if not p or p[0].startswith("#"):
                continue
            if p[0] == "threads":
                meta["threads"] = int(p[1])
            elif p[0] == "lookahead":
                meta["lookahead"] = int(p[1])
            elif p[0] == "group":
                meta["groups"][int(p[1])] = int(p[3])
            elif p[0] == "A":
                assert int(p[1]) == len(advances), "Advances out of order: " + line
                advances.append((int(p[2]), int(p[3]), int(p[4]), int(p[5]), int(p[6])))
            elif p[0] == "R":
                reports.append(int(p[1]))
                owns.append([None if x == "-1" else int(x) for x in p[2:]])
            elif p[0] == "E":
                edges.append((int(p[1]), int(p[2]), int(p[3])))
            elif p[0] == "G":
                ran[int(p[1])].append((int(p[2]), int(p[3]), int(p[4])))
    # the k-th run of a group is its k-th Advance
    cost = [None] * len(advances)
    seen = collections.Counter()
    for i, (g, _, horizon, _, _) in enumerate(advances):
        h, events, ns = ran[g][seen[g]]
        assert h == horizon, f"Advance {i} of group {g}: horizon {horizon}, ran to {h}"
        seen[g] += 1
        cost[i] = (events, ns)
    meta["edges"] = edges
    return meta, advances, reports, owns, cost


def dependencies(meta, advances, owns):
    """For each Advance, the reports it really needed: with channel clocks group g may run to h only while
    every group s may act no earlier than h - D(s, g) (D: the shortest path from s to g over the group graph, at
    least one edge). For each s, the report after which that held until the Advance was given."""
    n = len(meta["groups"])
    inf = float("inf")
    d = [[inf] * n for _ in range(n)]
    for f, t, w in meta["edges"]:
        d[f][t] = min(d[f][t], w)
    for k in range(n):                      # Floyd-Warshall: paths of at least one edge
        dk = d[k]
        for i in range(n):
            dik = d[i][k]
            if dik == inf:
                continue
            di = d[i]
            for j in range(n):
                if dik + dk[j] < di[j]:
                    di[j] = dik + dk[j]
    # per group, the reports after which its earliest time changed: [(report, time)]
    changes = [[] for _ in range(n)]
    last = [object()] * n
    for j, own in enumerate(owns):
        for s in range(n):
            if own[s] != last[s]:
                changes[s].append((j, own[s]))
                last[s] = own[s]
    needs = []
    for (g, _, h, _, seen) in advances:
        need = set()
        for s in range(n):
            if d[s][g] == inf:
                continue
            threshold = h - d[s][g]
            ch = changes[s]
            # the last change before the Advance was given, then back while the condition held
            lo, hi = 0, len(ch)
            while lo < hi:
                mid = (lo + hi) // 2
                if ch[mid][0] < seen:
                    lo = mid + 1
                else:
                    hi = mid
            k = lo - 1
            since = None
            while k >= 0 and (ch[k][1] is None or ch[k][1] >= threshold):
                since = ch[k][0]
                k -= 1
            if since is not None and k >= 0:
                need.add(since)             # it held since that report (before it, it did not)
        needs.append(need)
    return needs


def schedule(advances, reports, cost, k, weight, every, needs=None, latency=0.0):
    """List scheduling of the Advances on k threads, on the thread that is free first: an Advance may
    start when its group's previous Advance is done and, with every, every report the scheduler had taken
    before it gave it (so a barrier stays a barrier), or else only the report that let it go. latency: what
    a report costs before the Advances it lets go can start (the report's message, the scheduler's work on
    it, the Advance's message), in the weight's unit."""
    finish = [0.0] * len(advances)
    done = [0.0] * len(advances)   # when the scheduler has taken the report of each Advance
    last = {}
    threads = [0.0] * k
    taken, seen_done = 0, 0.0   # reports replayed so far, and the latest finish among them
    for i, (g, _, _, trigger, seen) in enumerate(advances):
        if needs is not None:
            after = max((done[reports[j]] for j in needs[i]), default=0.0)
        elif every:
            while taken < seen:
                seen_done = max(seen_done, done[reports[taken]])
                taken += 1
            after = seen_done
        else:
            after = done[trigger] if trigger >= 0 else 0.0
        ready = max(after, done[last[g]] if g in last else 0.0)
        free = heapq.heappop(threads)
        start = max(ready, free)
        finish[i] = start + cost[i][weight]
        done[i] = finish[i] + latency
        heapq.heappush(threads, finish[i])
        last[g] = i
    return max(finish, default=0.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("profile")
    ap.add_argument("--threads", default="1,2,4,8,16,32")
    ap.add_argument("--report-us", type=float, default=0.0,
                    help="what each report costs before the Advances it lets go start, in microseconds of CPU "
                         "(the scheduler's work and two messages; by CPU time only, the events columns stay as they are)")
    a = ap.parse_args()
    meta, advances, reports, owns, cost = read(a.profile)
    needs = dependencies(meta, advances, owns) if owns and meta["edges"] else None
    ks = [int(x) for x in a.threads.split(",")]
    total_ev = sum(c[0] for c in cost)
    total_ns = sum(c[1] for c in cost)
    if not total_ev:
        sys.exit("no events in " + a.profile)
    print(f"{a.profile}: {len(advances)} Advances to {len(meta['groups'])} groups "
          f"(cut for {meta.get('threads')} threads), smallest delay between groups "
          f"{meta.get('lookahead', 0) / 1000:.0f} us, {total_ev} events ({total_ev / len(advances):.0f} per Advance), "
          f"{total_ns / 1e9:.2f} s of group CPU time ({total_ns / total_ev:.0f} ns per event)")
    busiest = collections.Counter()
    for (g, _, _, _, _), (ev, _) in zip(advances, cost):
        busiest[g] += ev
    g, ev = busiest.most_common(1)[0]
    print(f"busiest group: {g} ({meta['groups'].get(g, '?')} LPs) with {100 * ev / total_ev:.1f} % of the events")
    print("speed-up over one thread; 'as it went': each Advance waits for every report taken before it was")
    print("given; 'its trigger': only for the one that let it go (optimistic); 'what it needed': for the reports")
    print("after which every group's clock allowed its horizon (channel clocks; the window needs every report)")
    if a.report_us:
        print(f"each report delays what it lets go by {a.report_us} us of CPU time; the scheduler's own share of the"
              f" run: {len(reports) * a.report_us * 1000 / total_ns:.1%} of the groups' CPU time (serial)")
    print(f"{'threads':>8} {'as it went, CPU':>16} {'events':>7} {'its trigger, CPU':>17} {'events':>7}"
          f" {'what it needed, CPU':>20} {'events':>7}")
    for k in ks + [len(meta["groups"])]:
        lat = {1: a.report_us * 1000, 0: 0.0}
        row = [total / schedule(advances, reports, cost, k, w, every, latency=lat[w])
               for every in (True, False) for w, total in ((1, total_ns), (0, total_ev))]
        if needs is not None:
            row += [total / schedule(advances, reports, cost, k, w, False, needs, lat[w])
                    for w, total in ((1, total_ns), (0, total_ev))]
        label = f"{k}" if k in ks else f"{k} (one per group)"
        extra = f" {row[4]:>19.2f}x {row[5]:>6.2f}x" if needs is not None else ""
        print(f"{label:>8} {row[0]:>15.2f}x {row[1]:>6.2f}x {row[2]:>16.2f}x {row[3]:>6.2f}x{extra}")


if __name__ == "__main__":
    main()
