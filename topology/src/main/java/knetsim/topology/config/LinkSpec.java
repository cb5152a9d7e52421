package knetsim.topology.config;

/**
 * A point-to-point link; the qdisc sits on the egress of both ends' interfaces (switch ports keep their FIFO), and
 * {@code bql} says whether their NICs keep byte queue limits in front of the tx ring.
 */
public record LinkSpec(Endpoint a, Endpoint b, long rateBps, long delayNs, long jitterNs, LossSpec loss,
                       double corruption, QdiscSpec qdisc, boolean bql) {

    /** One end: a node's interface, or a switch ({@code iface} null) and the port this link makes on it. */
    public record Endpoint(String node, String iface, boolean isSwitch, int switchPort) {
        @Override
        public String toString() {
            return isSwitch ? node + "[" + switchPort + "]" : node + "." + iface;
        }
    }

    /** Loss on the wire; gilbert-elliott follows netem's loss_gilb_ell (h, k: no-loss chances in bad, good). */
    public record LossSpec(Model model, double p, double r, double h, double k) {
        public enum Model { NONE, BERNOULLI, GILBERT_ELLIOTT }

        public static final LossSpec NONE = new LossSpec(Model.NONE, 0, 0, 0, 1);
    }

    /**
     * The qdisc; {@code limit} is packets for pfifo, bytes for bfifo and tbf, and 0 means the device default
     * (txqueuelen packets, or txqueuelen * mtu bytes), as tc does. The AQM and flow-queueing kinds keep their
     * validated parameters in {@code options} under their tc names (durations in ns, sizes in bytes, rates in bit/s,
     * booleans as 0 or 1); a parameter not given is absent and takes the kernel's default.
     */
    public record QdiscSpec(Kind kind, long limit, long rateBps, long burstBytes, long latencyNs,
                            java.util.Map<String, Number> options) {
        public enum Kind { PFIFO_FAST, PFIFO, BFIFO, TBF, NOQUEUE, CODEL, FQ_CODEL, RED, FQ }

        public static final QdiscSpec DEFAULT = new QdiscSpec(Kind.PFIFO_FAST, 0, 0, 0, 0, java.util.Map.of());

        public QdiscSpec(Kind kind, long limit, long rateBps, long burstBytes, long latencyNs) {
            this(kind, limit, rateBps, burstBytes, latencyNs, java.util.Map.of());
        }

        /** An option, or {@code def} when the file did not give it. */
        public long option(String name, long def) {
            Number n = options.get(name);
            return n == null ? def : n.longValue();
        }

        public double option(String name, double def) {
            Number n = options.get(name);
            return n == null ? def : n.doubleValue();
        }
    }
}
