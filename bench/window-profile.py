#!/usr/bin/env python3
"""bench/window-profile.py: how fast a run's local windows could go on k threads (issue 14).

Reads the profile a run writes with -Dknetsim.window-profile=FILE (core's WindowProfile: per window,
every group's events and the CPU time of its loop) and answers, for k dispatcher threads, the
time the same windows would take if each window's groups were spread over k threads as well as
possible (longest first onto the least loaded thread, as a work-stealing pool does at best) and
the windows ran one after another, as the barrier makes them. Its ratio to the sum of all the
groups' work is the speed-up that this grouping and these windows allow on k cores that are
equally fast and do not slow each other down: an upper bound that the memory system, the
barrier's own messages and the JVM can only lower. Weighted by CPU time and, independent of the
machine, by events.

  java -Dknetsim.window-profile=/tmp/wp -XX:ActiveProcessorCount=16 -jar topology/target/knetsim.jar \\
      run configs/campus-1000.conf --duration 500ms --out /tmp/wp-out      # groups as 16 threads cut them
  bench/window-profile.py /tmp/wp.p0 [--threads 1,2,4,8,16]

Run the JVM on one core (taskset -c 0) with -XX:ActiveProcessorCount=N to profile the grouping of N
threads without N cores: the CPU time is the thread's own, so time-slicing does not inflate it.
"""
import argparse
import collections
import heapq
import sys


def read(path):
    meta = {"groups": {}}
    windows = {}
    work = collections.defaultdict(list)  # horizon -> [(group, events, ns)]
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
            elif p[0] == "W":
                windows[int(p[1])] = int(p[2])
            elif p[0] == "G":
                work[int(p[2])].append((int(p[1]), int(p[3]), int(p[4])))
    return meta, windows, work


def makespan(loads, k):
    """Longest-processing-time-first on k threads: the window's time."""
    if k >= len(loads):
        return max(loads, default=0)
    threads = [0] * k
    for load in sorted(loads, reverse=True):
        heapq.heapreplace(threads, threads[0] + load)
    return max(threads)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("profile")
    ap.add_argument("--threads", default="1,2,4,8,16,32")
    a = ap.parse_args()
    meta, windows, work = read(a.profile)
    ks = [int(x) for x in a.threads.split(",")]
    total_ns = sum(ns for groups in work.values() for _, _, ns in groups)
    total_ev = sum(ev for groups in work.values() for _, ev, _ in groups)
    if not total_ev:
        sys.exit("no events in " + a.profile)
    print(f"{a.profile}: {len(work)} windows, {len(meta['groups'])} groups "
          f"(cut for {meta.get('threads')} threads), window bound {meta.get('lookahead', 0) / 1000:.0f} us, "
          f"{total_ev} events, {total_ns / 1e9:.2f} s of group CPU time "
          f"({total_ns / total_ev:.0f} ns per event)")
    busiest = collections.Counter()
    for groups in work.values():
        for g, ev, _ in groups:
            busiest[g] += ev
    g, ev = busiest.most_common(1)[0]
    print(f"busiest group: {g} ({meta['groups'].get(g, '?')} LPs) with {100 * ev / total_ev:.1f} % of the events")
    alone = [groups for groups in work.values() if len(groups) == 1]
    print(f"windows with one group busy: {len(alone)}, {100 * sum(x[0][1] for x in alone) / total_ev:.1f} % of the events")
    print(f"{'threads':>8} {'by CPU time':>12} {'by events':>10}")
    for k in ks:
        by_ns = total_ns / sum(makespan([ns for _, _, ns in gs], k) for gs in work.values())
        by_ev = total_ev / sum(makespan([ev for _, ev, _ in gs], k) for gs in work.values())
        print(f"{k:>8} {by_ns:>11.2f}x {by_ev:>9.2f}x")
    inf_ns = total_ns / sum(max(ns for _, _, ns in gs) for gs in work.values())
    inf_ev = total_ev / sum(max(ev for _, ev, _ in gs) for gs in work.values())
    print(f"{'any':>8} {inf_ns:>11.2f}x {inf_ev:>9.2f}x   (one thread per group: the windows' own bound)")
    if windows:
        wall = sum(windows.values())
        k = meta.get("threads", 1)
        ideal = sum(makespan([ns for _, _, ns in work[h]], k) for h in windows if h in work)
        print(f"this run's windows: {wall / 1e9:.2f} s of wall time on {k} dispatcher threads; "
              f"their CPU-time makespan {ideal / 1e9:.2f} s; the rest ({(wall - ideal) / 1e9:.2f} s) is the "
              f"barrier, the messages, the pool and whatever else ran on the cores")


if __name__ == "__main__":
    main()
