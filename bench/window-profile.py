#!/usr/bin/env python3
"""bench/window-profile.py: how fast a run's groups could go on k threads (issue 14).

Reads the profile a run writes with -Dknetsim.window-profile=FILE (core's WindowProfile: every Advance
the partition's scheduler gave a group, which group's report let it go, and the events and CPU time
of the group's loop) and replays those Advances on k threads: an Advance starts when the report that
let it go and its group's previous Advance are done, on the first free thread. The ratio of all the
groups' work to that schedule's length is the speed-up these groups and their horizons allow on k
cores that are equally fast and do not slow each other down: an estimate that the memory system,
the scheduler's messages and the JVM can only lower, and that takes the dependencies as the
profiled run met them. Weighted by CPU time and, independent of the machine, by events.

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
    advances = []                          # (group, from, horizon, trigger), by index
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
                advances.append((int(p[2]), int(p[3]), int(p[4]), int(p[5])))
            elif p[0] == "G":
                ran[int(p[1])].append((int(p[2]), int(p[3]), int(p[4])))
    # the k-th run of a group is its k-th Advance
    cost = [None] * len(advances)
    seen = collections.Counter()
    for i, (g, _, horizon, _) in enumerate(advances):
        h, events, ns = ran[g][seen[g]]
        assert h == horizon, f"Advance {i} of group {g}: horizon {horizon}, ran to {h}"
        seen[g] += 1
        cost[i] = (events, ns)
    return meta, advances, cost


def schedule(advances, cost, k, weight):
    """List scheduling of the Advances on k threads: an Advance may start when the report that let it
    go and its group's previous Advance are done, on the thread that is free first."""
    finish = [0.0] * len(advances)
    last = {}
    threads = [0.0] * k
    for i, (g, _, _, trigger) in enumerate(advances):
        ready = max(finish[trigger] if trigger >= 0 else 0.0, finish[last[g]] if g in last else 0.0)
        free = heapq.heappop(threads)
        start = max(ready, free)
        finish[i] = start + cost[i][weight]
        heapq.heappush(threads, finish[i])
        last[g] = i
    return max(finish, default=0.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("profile")
    ap.add_argument("--threads", default="1,2,4,8,16,32")
    a = ap.parse_args()
    meta, advances, cost = read(a.profile)
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
    for (g, _, _, _), (ev, _) in zip(advances, cost):
        busiest[g] += ev
    g, ev = busiest.most_common(1)[0]
    print(f"busiest group: {g} ({meta['groups'].get(g, '?')} LPs) with {100 * ev / total_ev:.1f} % of the events")
    print(f"{'threads':>8} {'by CPU time':>12} {'by events':>10}")
    for k in ks + [len(meta["groups"])]:
        by_ns = total_ns / schedule(advances, cost, k, 1)
        by_ev = total_ev / schedule(advances, cost, k, 0)
        label = f"{k}" if k in ks else f"{k} (one per group)"
        print(f"{label:>8} {by_ns:>11.2f}x {by_ev:>9.2f}x")


if __name__ == "__main__":
    main()
