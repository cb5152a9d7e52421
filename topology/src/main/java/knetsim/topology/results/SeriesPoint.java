package knetsim.topology.results;

import java.util.Objects;

/** One sample of a recorded series at a virtual time. */
public record SeriesPoint(long timeNs, String series, double value) {
    /** Series with this prefix and {@link #GOODPUT_SUFFIX} carry a flow's goodput and are plotted as its throughput. */
    public static final String FLOW_PREFIX = "flow:";
    public static final String GOODPUT_SUFFIX = ":goodput_bps";

    public SeriesPoint {
        Objects.requireNonNull(series, "series");
    }

    /** The name of the series that carries {@code flow}'s goodput in bit/s. */
    public static String goodputSeries(String flow) {
        return FLOW_PREFIX + flow + GOODPUT_SUFFIX;
    }
}
