package knetsim.topology.config;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * routing = auto's Dijkstra, run from one source node after another over the same graph. A path's label is
 * (delay sum, hop count, first-hop name, first-hop interface, the vertex's name), compared in that order, which
 * keeps Dijkstra exact and the result deterministic. Only routers and switches are queued and expanded: a node that
 * does not forward keeps the smallest offer made to it, which is the label queueing it would have settled it
 * with (a later offer is one hop longer at no smaller cost), so a 100,000-host network runs Dijkstra over its
 * routers alone. Such an offer is kept as the label it extends and the edge, not as a label of its own, and
 * compared field by field: a host's label is made only when a route needs it (a subnet no router reaches). The
 * per-vertex arrays are allocated once and marked per run, so a run allocates a label per router, not per host.
 */
final class ShortestPaths {
    /** to: the neighbour's vertex (toName its name); address: its interface's, when it is an L3 node (else null). */
    record Edge(String localIface, int to, String toName, String remoteIface, Integer address, long delay) {
    }

    /** A path to {@code vertex} (named {@code at}), leaving the source by {@code dev} towards {@code via}. */
    record Label(long cost, int hops, String firstHop, String firstIface, int via, String dev, String at, int vertex) {
    }

    static final Comparator<Label> ORDER = Comparator.comparingLong(Label::cost).thenComparingInt(Label::hops)
            .thenComparing(Label::firstHop).thenComparing(Label::firstIface).thenComparing(Label::at);

    private final List<List<Edge>> edges;
    private final boolean[] l3;
    private final boolean[] router;
    private final PriorityQueue<Label> queue = new PriorityQueue<>(ORDER);
    // entry v belongs to the current run when its mark equals run: nothing is cleared between runs
    private final int[] doneMark;
    private final int[] leafMark;
    private final Label[] settled;
    private final Label[] leafFrom; // null: the offer came from the source itself
    private final Edge[] leafEdge;
    private int run;
    private int source = -1;

    ShortestPaths(List<List<Edge>> edges, boolean[] l3, boolean[] router) {
        this.edges = edges;
        this.l3 = l3;
        this.router = router;
        int count = edges.size();
        doneMark = new int[count];
        leafMark = new int[count];
        settled = new Label[count];
        leafFrom = new Label[count];
        leafEdge = new Edge[count];
    }

    /** Runs Dijkstra from {@code from}; {@link #best} then answers for it. */
    void from(int from) {
        run++;
        source = from;
        queue.clear();
        for (Edge e : edges.get(from)) {
            if (e.to() != from) offer(null, e);
        }
        doneMark[from] = run;
        while (!queue.isEmpty()) {
            Label l = queue.poll();
            if (doneMark[l.vertex()] == run) continue;
            doneMark[l.vertex()] = run;
            settled[l.vertex()] = l;
            for (Edge e : edges.get(l.vertex())) {
                if (doneMark[e.to()] != run) offer(l, e);
            }
        }
    }

    /** The best label of L3 node {@code v} from the last run's source, or null (unreachable, a switch, the source). */
    Label best(int v) {
        if (v == source || !l3[v]) return null;
        if (!router[v]) return leafMark[v] == run ? extend(leafFrom[v], leafEdge[v]) : null;
        return doneMark[v] == run ? settled[v] : null;
    }

    // a router or switch is queued and expanded; a node that does not forward keeps its smallest offer
    private void offer(Label from, Edge e) {
        int v = e.to();
        if (l3[v] && !router[v]) {
            if (leafMark[v] != run || smaller(from, e, leafFrom[v], leafEdge[v])) {
                leafMark[v] = run;
                leafFrom[v] = from;
                leafEdge[v] = e;
            }
        } else {
            queue.add(extend(from, e));
        }
    }

    // the label of the path {@code from} then {@code e}; from null: the source's own edge
    private Label extend(Label from, Edge e) {
        boolean isL3 = l3[e.to()];
        if (from == null) {
            return new Label(e.delay(), 1, isL3 ? e.toName() : "", isL3 ? e.remoteIface() : "", isL3 ? e.address() : 0,
                    e.localIface(), e.toName(), e.to());
        }
        boolean first = from.firstHop().isEmpty() && isL3;
        return new Label(from.cost() + e.delay(), from.hops() + 1, first ? e.toName() : from.firstHop(),
                first ? e.remoteIface() : from.firstIface(), first ? e.address() : from.via(), from.dev(), e.toName(),
                e.to());
    }

    // ORDER.compare(extend(a, ea), extend(b, eb)) < 0 for two offers to the same node that does not forward (so the
    // same vertex name, and an L3 node: its first hop is itself when the path had none yet), without making them
    private static boolean smaller(Label a, Edge ea, Label b, Edge eb) {
        long ca = (a == null ? 0 : a.cost()) + ea.delay(), cb = (b == null ? 0 : b.cost()) + eb.delay();
        if (ca != cb) return ca < cb;
        int ha = a == null ? 0 : a.hops(), hb = b == null ? 0 : b.hops();
        if (ha != hb) return ha < hb;
        boolean firstA = a == null || a.firstHop().isEmpty(), firstB = b == null || b.firstHop().isEmpty();
        int c = (firstA ? ea.toName() : a.firstHop()).compareTo(firstB ? eb.toName() : b.firstHop());
        if (c != 0) return c < 0;
        return (firstA ? ea.remoteIface() : a.firstIface()).compareTo(firstB ? eb.remoteIface() : b.firstIface()) < 0;
    }
}
