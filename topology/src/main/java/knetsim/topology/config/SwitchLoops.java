package knetsim.topology.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the link that closes a loop of switches. Without spanning tree (br_stp, not modelled) a broadcast such as
 * an ARP request circles such a loop for ever, so validate refuses it, naming the cycle. Only switch-to-switch
 * links count: hosts and routers do not bridge.
 */
final class SwitchLoops {
    /** The spanning forest of the switch links seen so far: switch -> neighbours. */
    private final Map<String, List<String>> forest = new HashMap<>();
    /** Union-find parent of each switch. */
    private final Map<String, String> set = new HashMap<>();

    /**
     * Adds the link between switches {@code a} and {@code b}; returns the cycle it closes, as
     * "sw1 -> sw2 -> sw1", or null when it closes none.
     */
    String add(String a, String b) {
        if (a.equals(b)) return a + " -> " + a;
        String ra = root(a), rb = root(b);
        if (ra.equals(rb)) { // joined already: the walk is paid only for the link that closes a loop
            List<String> path = path(a, b);
            path.add(a);
            return String.join(" -> ", path);
        }
        set.put(ra, rb);
        forest.computeIfAbsent(a, k -> new ArrayList<>()).add(b);
        forest.computeIfAbsent(b, k -> new ArrayList<>()).add(a);
        return null;
    }

    /** Union-find with path halving, so a tree of 10^5 switches is checked in linear time. */
    private String root(String s) {
        String p = set.computeIfAbsent(s, k -> k);
        while (!p.equals(s)) {
            String gp = set.get(p);
            set.put(s, gp);
            s = gp;
            p = set.get(s);
        }
        return s;
    }

    /** The path from {@code from} to {@code to} in the forest (breadth first), or null when they are not joined. */
    private List<String> path(String from, String to) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        parent.put(from, from);
        queue.add(from);
        while (!queue.isEmpty()) {
            String cur = queue.poll();
            if (cur.equals(to)) {
                List<String> out = new ArrayList<>();
                for (String s = to; !s.equals(from); s = parent.get(s)) out.add(s);
                out.add(from);
                Collections.reverse(out);
                return out;
            }
            for (String next : forest.getOrDefault(cur, List.of())) {
                if (parent.putIfAbsent(next, cur) == null) queue.add(next);
            }
        }
        return null;
    }
}
