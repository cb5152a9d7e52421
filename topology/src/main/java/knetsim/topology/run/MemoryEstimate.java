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
     * Live heap per LP once a run is built and running: 10,000-host star, 60,001 LPs, no traffic, about 1,000 MB
     * live after GC (JDK 17, G1), so about 17 KB (actor, mailbox, event queue, counters, the LP's model state).
     */
    static final long BYTES_PER_LP = 17_000;
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

    /** Bytes of heap for {@code lps} LPs in one JVM. */
    public static long bytes(long lps) {
        return BASE_BYTES + lps * BYTES_PER_LP;
    }

    /**
     * Why the run will not fit, or null when it will: this JVM (the launcher, which builds its share of the LPs)
     * may use {@code launcherMaxHeap}. With {@code members} JVMs each holds about 1/members of the LPs.
     */
    public static String refusal(Topology t, int members, long launcherMaxHeap) {
        long lps = lps(t);
        long share = (lps + members - 1) / members;
        long need = bytes(share);
        if (need <= launcherMaxHeap) return null;
        long suggest = (need * 5 / 4 + (1L << 30) - 1) >> 30; // a quarter more, in whole GiB
        return String.format(Locale.ROOT, "this topology needs about %s of heap per JVM (%,d LPs%s at about %d KB"
                        + " each), but this JVM may use %s; nothing was built. Give it more with -Xmx, e.g."
                        + " KNETSIM_JAVA_OPTS=-Xmx%dg ./knetsim run ... (or java -Xmx%dg -jar knetsim.jar run ...),"
                        + " or spread the run over more JVMs with --members", gib(need), lps,
                members > 1 ? ", " + String.format(Locale.ROOT, "%,d", share) + " in each of " + members + " JVMs" : "",
                BYTES_PER_LP / 1000, gib(launcherMaxHeap), suggest, suggest);
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }
}
