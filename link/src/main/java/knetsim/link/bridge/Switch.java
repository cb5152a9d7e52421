package knetsim.link.bridge;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import knetsim.core.engine.Counters;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.link.Frame;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.LineRate;

/**
 * A store-and-forward learning bridge. It learns source MACs per port, forwards to the learned
 * port, floods group and unknown destinations to every other port, and never sends a frame back
 * out of its own port. Each port has an egress FIFO with a packet limit and a transmitter at the
 * port's rate; frames that find the queue full are dropped and counted (tx_dropped).
 */
public final class Switch extends LogicalProcess {
    /** A port: frames arrive from {@code ingressLinkLp} and leave through {@code egressLinkLp}. */
    public record Port(int ingressLinkLp, int egressLinkLp, long rateBitsPerSecond, int queueLimit) {}

    /** Self event: a port's transmitter has finished a frame and its inter-frame gap. */
    record PortFree(int port) implements Payload {
        @Override
        public long fingerprint() {
            return port;
        }
    }

    private static final long LINK_LOCAL_GROUP = 0x0180_c200_0000L;

    private final List<Port> ports;
    private final ForwardingDatabase fdb;
    private final Map<Integer, Integer> portOfIngressLp = new HashMap<>();
    private final ArrayDeque<Frame>[] queues;
    private final LineRate.Transmitter[] transmitters;
    private knetsim.link.drop.FlowDrops[] portDrops;
    private Counters.Counter[] rxPackets, rxBytes, txPackets, txBytes, txDropped, rxCrcErrors, rxErrors, rxDropped;
    private Counters.Counter flooded;
    private Counters.Counter runts;

    @SuppressWarnings("unchecked")
    public Switch(List<Port> ports, long ageingTime) {
        this.ports = List.copyOf(ports);
        this.fdb = new ForwardingDatabase(ageingTime);
        this.queues = new ArrayDeque[ports.size()];
        this.transmitters = new LineRate.Transmitter[ports.size()];
        for (int p = 0; p < ports.size(); p++) {
            Port port = ports.get(p);
            if (port.queueLimit() < 1) throw new IllegalArgumentException("port " + p + ": queue limit must be >= 1");
            if (portOfIngressLp.put(port.ingressLinkLp(), p) != null) {
                throw new IllegalArgumentException("two ports receive from LP " + port.ingressLinkLp());
            }
            queues[p] = new ArrayDeque<>();
            transmitters[p] = new LineRate.Transmitter(new LineRate(port.rateBitsPerSecond()));
        }
    }

    @Override
    protected void onStart() {
        int n = ports.size();
        rxPackets = new Counters.Counter[n];
        rxBytes = new Counters.Counter[n];
        txPackets = new Counters.Counter[n];
        txBytes = new Counters.Counter[n];
        txDropped = new Counters.Counter[n];
        rxCrcErrors = new Counters.Counter[n];
        rxErrors = new Counters.Counter[n];
        rxDropped = new Counters.Counter[n];
        for (int p = 0; p < n; p++) {
            String prefix = "port" + p + ".";
            rxPackets[p] = counters().counter(prefix + "rx_packets");
            rxBytes[p] = counters().counter(prefix + "rx_bytes");
            txPackets[p] = counters().counter(prefix + "tx_packets");
            txBytes[p] = counters().counter(prefix + "tx_bytes");
            txDropped[p] = counters().counter(prefix + "tx_dropped");
            rxCrcErrors[p] = counters().counter(prefix + "rx_crc_errors");
            rxErrors[p] = counters().counter(prefix + "rx_errors");
            rxDropped[p] = counters().counter(prefix + "rx_dropped");
        }
        flooded = counters().counter("flooded");
        runts = counters().counter("rx_length_errors");
    }

    @Override
    protected void onEvent(Payload payload) {
        if (payload instanceof PortFree free) {
            if (!queues[free.port()].isEmpty()) transmit(free.port());
            return;
        }
        Integer in = portOfIngressLp.get(sender());
        if (in == null) throw new IllegalStateException("frame from LP " + sender() + ", which feeds no port");
        handleFrame((Frame) payload, in);
    }

    // br_handle_frame() -> br_handle_frame_finish(): learn, then forward or flood.
    private void handleFrame(Frame frame, int in) {
        if (!frame.fcsGood()) {
            rxErrors[in].increment(); // store-and-forward: a bad FCS is caught before forwarding
            rxCrcErrors[in].increment();
            return;
        }
        if (frame.length() < 14) {
            rxErrors[in].increment();
            runts.increment();
            dropsAt(in).frame("PKT_TOO_SMALL", frame.bytes(), 0, frame.length());
            return;
        }
        rxPackets[in].increment(); // good packets only, as rtnl_link_stats64 defines them
        rxBytes[in].add(frame.length());
        long destination = MacAddress.bitsAt(frame.bytes(), 0);
        long source = MacAddress.bitsAt(frame.bytes(), 6);
        // br_handle_frame(): a group or all-zero source is invalid (is_valid_ether_addr), and
        // link-local control frames (01:80:c2:00:00:0X, STP, LACP, LLDP) are never forwarded.
        if (MacAddress.isGroup(source) || source == 0 || (destination & ~0xfL) == LINK_LOCAL_GROUP) {
            rxDropped[in].increment();
            dropsAt(in).frame("MAC_INVALID_SOURCE", frame.bytes(), 0, frame.length());
            return;
        }
        fdb.learn(source, in, now());
        int out = MacAddress.isGroup(destination) ? -1 : fdb.lookup(destination, now());
        if (out < 0) {
            flood(frame, in);
        } else if (out != in) {
            enqueue(out, frame);
        }
        // out == in: the destination sits behind the ingress port; hair-pinning is not done.
    }

    // br_flood(): every port but the one the frame came in on. The frame is immutable, so shared.
    private void flood(Frame frame, int in) {
        flooded.increment();
        for (int p = 0; p < ports.size(); p++) {
            if (p != in) enqueue(p, frame);
        }
    }

    // made on the first drop at a port: most ports never drop
    private knetsim.link.drop.FlowDrops dropsAt(int port) {
        if (portDrops == null) portDrops = new knetsim.link.drop.FlowDrops[ports.size()];
        if (portDrops[port] == null) portDrops[port] = new knetsim.link.drop.FlowDrops();
        return portDrops[port];
    }

    @Override
    protected java.util.List<? extends knetsim.core.serial.CrossJvm> reports() {
        java.util.List<knetsim.core.serial.CrossJvm> all = new java.util.ArrayList<>();
        for (int p = 0; portDrops != null && p < portDrops.length; p++) {
            var report = portDrops[p] == null ? null : portDrops[p].report("port" + p);
            if (report != null) all.add(report);
        }
        return all;
    }

    private void enqueue(int port, Frame frame) {
        if (queues[port].size() >= ports.get(port).queueLimit()) {
            txDropped[port].increment();
            dropsAt(port).frame("QDISC_DROP", frame.bytes(), 0, frame.length());
            return;
        }
        queues[port].add(frame);
        if (queues[port].size() == 1 && transmitters[port].idleAt(now())) transmit(port);
    }

    private void transmit(int port) {
        Frame frame = queues[port].poll();
        LineRate.Transmitter tx = transmitters[port];
        long leaves = tx.transmit(now(), frame.length());
        txPackets[port].increment();
        txBytes[port].add(frame.length());
        send(ports.get(port).egressLinkLp(), leaves - now(), frame);
        schedule(tx.freeAtNanos() - now(), new PortFree(port));
    }

    public int fdbSize() {
        return fdb.size();
    }
}
