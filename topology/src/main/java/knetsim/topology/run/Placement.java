package knetsim.topology.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import knetsim.core.time.SimTime;
import knetsim.node.build.NetworkBuilder;
import knetsim.topology.config.LinkSpec;
import knetsim.topology.config.Topology;

/**
 * Where each node runs. A machine's LPs never split, and a switch keeps the machines it joins
 * unless the file's placement says otherwise: nodes are merged along the cables of smallest
 * latency first (single linkage), so the cables left between partitions are the slowest ones and
 * the global lookahead, the smallest cut latency, is as large as it can be. Nodes the file places
 * are pinned to their member; ties go to the merge of the smaller groups, so partitions stay even.
 */
public record Placement(int partitions, Map<String, Integer> partitionOfNode, int[] partitionOfLp,
                        List<String> cut, long lookaheadNs) {

    public static Placement place(Topology t, NetworkBuilder.Network network, int partitions) {
        List<String> nodes = new ArrayList<>(t.nodes().keySet());
        nodes.addAll(t.switches().keySet());
        nodes.sort(Comparator.naturalOrder());
        if (partitions < 1 || partitions > nodes.size()) {
            throw new IllegalArgumentException("cannot place " + nodes.size() + " nodes on " + partitions + " members");
        }
        Map<String, Integer> index = new TreeMap<>();
        for (int i = 0; i < nodes.size(); i++) index.put(nodes.get(i), i);
        int[] parent = new int[nodes.size()], size = new int[nodes.size()], pinned = new int[nodes.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
            size[i] = 1;
            pinned[i] = t.placement().getOrDefault(nodes.get(i), -1) % partitions;
        }
        int groups = nodes.size();
        // nodes pinned to the same member start together
        Map<Integer, Integer> firstOnMember = new TreeMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (pinned[i] < 0) continue;
            Integer first = firstOnMember.putIfAbsent(pinned[i], i);
            if (first != null && union(parent, size, pinned, first, i)) groups--;
        }
        List<LinkSpec> links = new ArrayList<>(t.links());
        links.sort(Comparator.comparingLong(LinkSpec::delayNs));
        while (groups > partitions) {
            LinkSpec best = null;
            long bestSize = Long.MAX_VALUE;
            for (LinkSpec link : links) {
                if (best != null && link.delayNs() > best.delayNs()) break;
                int a = find(parent, index.get(link.a().node())), b = find(parent, index.get(link.b().node()));
                if (a == b || (pinned[a] >= 0 && pinned[b] >= 0)) continue;
                if ((long) size[a] + size[b] < bestSize) {
                    best = link;
                    bestSize = (long) size[a] + size[b];
                }
            }
            if (best == null) {
                // no cable joins two groups that may merge (disconnected parts of the topology): the
                // smallest free group joins the smallest other one, pinned or not
                int a = -1, b = -1;
                for (int i = 0; i < nodes.size(); i++) {
                    if (find(parent, i) == i && pinned[i] < 0 && (a < 0 || size[i] < size[a])) a = i;
                }
                if (a < 0) throw new IllegalArgumentException("the placement pins more groups than members");
                for (int i = 0; i < nodes.size(); i++) {
                    if (find(parent, i) == i && i != a && (b < 0 || size[i] < size[b])) b = i;
                }
                union(parent, size, pinned, a, b);
            } else {
                union(parent, size, pinned, index.get(best.a().node()), index.get(best.b().node()));
                links.remove(best);
            }
            groups--;
        }
        // groups to partitions: pinned ones to their member, the rest largest first to the emptiest
        int[] partitionOfGroup = new int[nodes.size()];
        java.util.Arrays.fill(partitionOfGroup, -1);
        long[] load = new long[partitions];
        List<Integer> roots = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) if (find(parent, i) == i) roots.add(i);
        for (int r : roots) {
            if (pinned[r] >= 0) {
                partitionOfGroup[r] = pinned[r];
                load[pinned[r]] += size[r];
            }
        }
        roots.sort(Comparator.comparingInt((Integer r) -> -size[r]).thenComparingInt(r -> r));
        boolean[] used = new boolean[partitions];
        for (int r : roots) if (pinned[r] >= 0) used[pinned[r]] = true;
        for (int r : roots) {
            if (partitionOfGroup[r] >= 0) continue;
            int target = -1;
            for (int p = 0; p < partitions; p++) if (!used[p]) { target = p; break; } // every member gets work
            if (target < 0) {
                target = 0;
                for (int p = 1; p < partitions; p++) if (load[p] < load[target]) target = p;
            }
            used[target] = true;
            partitionOfGroup[r] = target;
            load[target] += size[r];
        }
        Map<String, Integer> partitionOfNode = new TreeMap<>();
        for (int i = 0; i < nodes.size(); i++) partitionOfNode.put(nodes.get(i), partitionOfGroup[find(parent, i)]);
        int[] ofLp = new int[network.owners().size()];
        network.owners().forEach((lp, owner) -> ofLp[lp] = partitionOfNode.get(owner));
        List<String> cut = new ArrayList<>();
        long lookahead = SimTime.NEVER;
        for (LinkSpec link : t.links()) {
            if (!partitionOfNode.get(link.a().node()).equals(partitionOfNode.get(link.b().node()))) {
                cut.add(link.a() + "-" + link.b());
                lookahead = Math.min(lookahead, link.delayNs());
            }
        }
        return new Placement(partitions, partitionOfNode, ofLp, cut, lookahead);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    }

    private static boolean union(int[] parent, int[] size, int[] pinned, int a, int b) {
        a = find(parent, a);
        b = find(parent, b);
        if (a == b) return false;
        if (size[a] < size[b] || (size[a] == size[b] && b < a)) { int x = a; a = b; b = x; }
        parent[b] = a;
        size[a] += size[b];
        if (pinned[a] < 0) pinned[a] = pinned[b];
        return true;
    }
}
