package knetsim.topology.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the AQM and flow-queueing qdiscs of a link ({@code noqueue}, {@code codel}, {@code fq_codel}, {@code red},
 * {@code fq}) into a {@link LinkSpec.QdiscSpec} whose options carry tc's parameter names. Each kind accepts only its
 * own keys; values are checked against the ranges the kernel's *_change() functions accept.
 */
final class QdiscReader {
    private static final long MAX_TIME = 4_000_000_000_000L; // codel time is a u32 of 1024 ns: about 73 minutes

    private QdiscReader() {}

    static LinkSpec.QdiscSpec read(LinkSpec.QdiscSpec.Kind kind, Section s) {
        Map<String, Number> o = new TreeMap<>();
        boolean ok = switch (kind) {
            case NOQUEUE -> {
                s.checkKeys(Set.of("kind"));
                yield true;
            }
            case CODEL -> {
                s.checkKeys(Set.of("kind", "limit", "target", "interval", "ecn", "ce_threshold"));
                yield integer(s, o, "limit", 1, Integer.MAX_VALUE) & codel(s, o);
            }
            case FQ_CODEL -> {
                s.checkKeys(Set.of("kind", "limit", "flows", "quantum", "target", "interval", "memory_limit", "ecn",
                        "ce_threshold", "drop_batch"));
                yield integer(s, o, "limit", 1, Integer.MAX_VALUE) & integer(s, o, "flows", 1, 65536)
                        & size(s, o, "quantum", 1, Integer.MAX_VALUE) & size(s, o, "memory_limit", 1, 1L << 31)
                        & integer(s, o, "drop_batch", 1, Integer.MAX_VALUE) & codel(s, o);
            }
            case RED -> {
                s.checkKeys(Set.of("kind", "limit", "min", "max", "avpkt", "burst", "probability", "bandwidth", "ecn",
                        "harddrop"));
                yield red(s, o);
            }
            default -> { // FQ
                s.checkKeys(Set.of("kind", "limit", "flow_limit", "quantum", "initial_quantum", "maxrate", "horizon"));
                boolean fine = integer(s, o, "limit", 1, Integer.MAX_VALUE)
                        & integer(s, o, "flow_limit", 1, Integer.MAX_VALUE)
                        & size(s, o, "quantum", 1, 1 << 20) & size(s, o, "initial_quantum", 0, 1 << 20)
                        & duration(s, o, "horizon");
                if (s.has("maxrate")) {
                    Long rate = s.rate("maxrate", null);
                    if (rate == null) fine = false;
                    else o.put("maxrate", rate);
                }
                yield fine;
            }
        };
        return ok ? new LinkSpec.QdiscSpec(kind, o.getOrDefault("limit", 0L).longValue(), 0, 0, 0, o) : null;
    }

    // target, interval, ecn and ce_threshold, as codel_change()/fq_codel_change() take them
    private static boolean codel(Section s, Map<String, Number> o) {
        boolean ok = duration(s, o, "target") & duration(s, o, "interval") & duration(s, o, "ce_threshold");
        if (s.has("ecn")) o.put("ecn", s.bool("ecn", false) ? 1 : 0);
        return ok;
    }

    private static boolean red(Section s, Map<String, Number> o) {
        Long limit = s.size("limit", null);
        if (limit == null) return false;
        if (limit <= 0) {
            s.bad("limit", "expected a size > 0 like 400KB (red's queue limit in bytes)");
            return false;
        }
        // tc's defaults: max = limit / 4, min = max / 3, avpkt 1000, burst (2 min + max) / (3 avpkt)
        Long max = s.size("max", limit / 4);
        Long min = s.size("min", max == null ? 0 : max / 3);
        Long avpkt = s.size("avpkt", 1000L);
        Double probability = s.number("probability", 0.02, 0, 1);
        Long bandwidth = s.has("bandwidth") ? s.rate("bandwidth", null) : Long.valueOf(10_000_000);
        if (max == null || min == null || avpkt == null || probability == null || bandwidth == null) return false;
        // red_check_params(): max may equal min (every packet above it is marked or dropped: a DCTCP threshold)
        if (min <= 0 || min > max || max > limit) {
            s.bad(min <= 0 ? "min" : "max", "red needs 0 < min <= max <= limit, got min " + min + ", max " + max
                    + ", limit " + limit);
            return false;
        }
        if (avpkt <= 0 || probability <= 0) {
            s.bad(avpkt <= 0 ? "avpkt" : "probability", "expected a value > 0");
            return false;
        }
        int burstDefault = (int) ((2 * min + max) / (3 * avpkt));
        Long burst = s.integer("burst", (long) burstDefault, 1, Integer.MAX_VALUE);
        if (burst == null) return false;
        // tc_red_eval_ewma(): the burst must let min / avpkt packets in
        if (burst + 1 - (double) min / avpkt < 1.0) {
            s.bad("burst", "burst " + burst + " is too small for min " + min + " and avpkt " + avpkt + "; try burst "
                    + (1 + min / avpkt));
            return false;
        }
        o.put("limit", limit);
        o.put("min", min);
        o.put("max", max);
        o.put("avpkt", avpkt);
        o.put("burst", burst);
        o.put("probability", probability);
        o.put("bandwidth", bandwidth);
        if (s.has("ecn")) o.put("ecn", s.bool("ecn", false) ? 1 : 0);
        if (s.has("harddrop")) o.put("harddrop", s.bool("harddrop", false) ? 1 : 0);
        return true;
    }

    private static boolean integer(Section s, Map<String, Number> o, String k, long min, long max) {
        if (!s.has(k)) return true;
        Long v = s.integer(k, null, min, max);
        if (v == null) return false;
        o.put(k, v);
        return true;
    }

    private static boolean size(Section s, Map<String, Number> o, String k, long min, long max) {
        if (!s.has(k)) return true;
        Long v = s.size(k, null);
        if (v == null) return false;
        if (v < min || v > max) {
            s.bad(k, "expected a size between " + min + " and " + max + " bytes, got " + v);
            return false;
        }
        o.put(k, v);
        return true;
    }

    private static boolean duration(Section s, Map<String, Number> o, String k) {
        if (!s.has(k)) return true;
        Long v = s.positiveDuration(k, null);
        if (v == null) return false;
        if (v > MAX_TIME) {
            s.bad(k, "expected a duration up to an hour, got " + Units.formatDuration(v));
            return false;
        }
        o.put(k, v);
        return true;
    }
}
