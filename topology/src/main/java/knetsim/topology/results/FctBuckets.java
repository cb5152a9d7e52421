package knetsim.topology.results;

import java.util.ArrayList;
import java.util.List;

/**
 * Flow completion times by flow size, as the DCTCP, pFabric and HPCC papers show them: the median and 99th
 * percentile of the finished flows' FCT and slowdown in each size bucket (nearest rank).
 */
public final class FctBuckets {
    /** Upper bounds of the buckets in bytes (exclusive); the last bucket has none. */
    static final long[] BOUNDS = {100_000, 1_000_000, 10_000_000};
    static final String[] LABELS = {"< 100 KB", "100 KB - 1 MB", "1 - 10 MB", ">= 10 MB"};

    /** One bucket: its flows, how many finished, and the FCT (ns) and slowdown percentiles of the finished ones. */
    public record Bucket(String label, int flows, int finished, double fctP50Ns, double fctP99Ns, double slowdownP50,
                         double slowdownP99) {}

    private FctBuckets() {}

    static int bucketOf(long size) {
        int b = 0;
        while (b < BOUNDS.length && size >= BOUNDS[b]) b++;
        return b;
    }

    /** The buckets that hold at least one flow, smallest sizes first. */
    public static List<Bucket> of(List<FctRow> rows) {
        int k = LABELS.length;
        int[] flows = new int[k];
        List<List<FctRow>> done = new ArrayList<>();
        for (int i = 0; i < k; i++) done.add(new ArrayList<>());
        for (FctRow r : rows) {
            int b = bucketOf(r.sizeBytes());
            flows[b]++;
            if (r.finished()) done.get(b).add(r);
        }
        List<Bucket> out = new ArrayList<>();
        for (int b = 0; b < k; b++) {
            if (flows[b] == 0) continue;
            double[] fct = done.get(b).stream().mapToDouble(FctRow::fctNs).sorted().toArray();
            double[] slow = done.get(b).stream().mapToDouble(FctRow::slowdown).filter(x -> !Double.isNaN(x)).sorted().toArray();
            out.add(new Bucket(LABELS[b], flows[b], fct.length, rank(fct, 50), rank(fct, 99), rank(slow, 50), rank(slow, 99)));
        }
        return out;
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    static double rank(double[] sorted, int p) {
        if (sorted.length == 0) return Double.NaN;
        int r = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, r - 1))];
    }
}
