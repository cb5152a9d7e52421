package knetsim.topology.run;

import java.util.Locale;
import knetsim.topology.config.InterfaceSpec;
import knetsim.topology.config.NodeSpec;
import knetsim.topology.config.Topology;

/**
 * The heap a run needs, estimated from the topology before anything is built, so that a run that cannot fit is
 * refused with the figure and the option to change rather than dying of OutOfMemoryError minutes later.
 * The figures are rough measurements (bench/README.md, "Memory per LP"): they must be measured again when the
 * engine's representation of LPs changes.
 */
public final class MemoryEstimate {
    /**
     * Live heap per LP once a run is built and running (JDK 17, G1; bench/README.md, "Memory and set-up at
     * 10,000 and 100,000 hosts"): a 10,000-host star (60,001 LPs, no traffic) holds about 300 MB after a full
     * GC, campus-10k (101,602 LPs, 10,000 UDP flows) about 430 MB besides its routes: 4-4.5 KB per LP (the LP's
     * queue, counters, random, trace and its model state), rounded up. It was 17 KB before the trace buffer, the
     * drop tables and inet_protos were cut.
     */
    static final long BYTES_PER_LP = 5_000;
    /**
     * A written or gateway route as the topology keeps it (RouteSpec), in every JVM, and as its machine's FIB holds
     * it (Route and its index slots), in the JVM that runs the machine: 40 + 80 bytes, measured on campus-10k when
     * its 2,050,000 routing = auto routes were kept that way (245 MB).
     */
    static final long BYTES_PER_ROUTE_SPEC = 40;
    static final long BYTES_PER_FIB_ROUTE = 80;
    /**
     * routing = auto's routes are runs over one shared list of subnets (ComputedRoutes, ComputedFib): per run its
     * start and next hop (8 bytes, the arrays shared by the topology and the FIB), per subnet its prefix (4 bytes,
     * once per JVM). A FIB makes a subnet's Route (about 110 bytes with its destination and cache slots) when a
     * packet first looks it up: counted as two per traffic entry (the first routers of its path).
     */
    static final long BYTES_PER_RUN = 8;
    static final long BYTES_PER_SUBNET = 4;
    static final long BYTES_PER_LOOKED_UP_ROUTE = 110;
    /** The JVM, Akka, the loaded topology and the results writers before the first LP. */
    static final long BASE_BYTES = 150L << 20;

    private MemoryEstimate() {
    }

    /** LPs the run will build: per node one kernel, one per CPU, per interface one tx and its rx queues; two per
     *  link (one per direction); one per switch and per application. */
    public static long lps(Topology t) {
        long n = 2L * t.links().size() + t.switches().size() + t.traffic().size();
        for (NodeSpec node : t.nodes().values()) {
            n += 1 + node.cpus();
            for (InterfaceSpec i : node.interfaces()) n += 1 + i.rxQueues();
        }
        return n;
    }

    /** Static routes of every machine (routing = auto's included). */
    public static long routes(Topology t) {
        long n = 0;
        for (NodeSpec node : t.nodes().values()) n += node.routes().size() + node.computed().size();
        return n;
    }

    /** Bytes of heap for {@code lps} LPs in one JVM. */
    public static long bytes(long lps) {
        return BASE_BYTES + lps * BYTES_PER_LP;
    }

    /** Bytes of heap for {@code lps} LPs and {@code routeBytes} of routes ({@link #routeBytes}) in one JVM. */
    public static long bytes(long lps, long routeBytes) {
        return bytes(lps) + routeBytes;
    }

    /** Bytes of heap the routes take in each of {@code members} JVMs, whose machines hold about 1/members of them. */
    public static long routeBytes(Topology t, int members) {
        long written = 0, runs = 0, subnets = 0;
        for (NodeSpec node : t.nodes().values()) {
            written += node.routes().size();
            runs += node.computed().runStart().length;
            subnets = Math.max(subnets, node.computed().subnets().size());
        }
        long fib = written * BYTES_PER_FIB_ROUTE + (runs == 0 ? 0 : 2L * t.traffic().size() * BYTES_PER_LOOKED_UP_ROUTE);
        return written * BYTES_PER_ROUTE_SPEC + runs * BYTES_PER_RUN + subnets * BYTES_PER_SUBNET
                + (fib + members - 1) / members;
    }

    /**
     * Why the run will not fit, or null when it will: this JVM (the launcher, which builds its share of the LPs)
     * may use {@code launcherMaxHeap}. With {@code members} JVMs each holds about 1/members of the LPs.
     */
    public static String refusal(Topology t, int members, long launcherMaxHeap) {
        long lps = lps(t), routes = routes(t);
        long share = (lps + members - 1) / members;
        // every JVM loads the whole topology; its machines hold about their share of the routes
        long need = bytes(share, routeBytes(t, members));
        if (need <= launcherMaxHeap) return null;
        long suggest = (need * 5 / 4 + (1L << 30) - 1) >> 30; // a quarter more, in whole GiB
        return String.format(Locale.ROOT, "this topology needs about %s of heap per JVM (%,d LPs%s at about %d KB"
                        + " each%s), but this JVM may use %s; nothing was built. Give it more with -Xmx, e.g."
                        + " KNETSIM_JAVA_OPTS=-Xmx%dg ./knetsim run ... (or java -Xmx%dg -jar knetsim.jar run ...),"
                        + " or spread the run over more JVMs with --members", gib(need), lps,
                members > 1 ? ", " + String.format(Locale.ROOT, "%,d", share) + " in each of " + members + " JVMs" : "",
                BYTES_PER_LP / 1000, routes == 0 ? "" : String.format(Locale.ROOT, ", and %,d routes", routes),
                gib(launcherMaxHeap), suggest, suggest);
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }
}
