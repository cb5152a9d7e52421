package knetsim.node.neigh;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import knetsim.core.engine.Counters;
import knetsim.core.time.SimTime;
import knetsim.link.ethernet.EtherType;
import knetsim.link.ethernet.EthernetHeader;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.wire.Parsed;
import knetsim.node.icmp.IcmpLayer;
import knetsim.node.icmp.IcmpMessage;
import knetsim.node.icmp.IcmpPacket;
import knetsim.node.inet.Config;
import knetsim.node.inet.Inet;
import knetsim.node.inet.InetAddrList;
import knetsim.node.inet.Interface;
import knetsim.node.inet.StackOutput;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.ipv4.OutPacket;
import knetsim.node.skb.SkbDropReason;

/**
 * net/ipv4/arp.c with the neighbour table of net/core/neighbour.c: arp_rcv()/arp_process(), arp_solicit(),
 * the per-interface entries and what their NUD state machines ask for (requests, transmissions, drops with
 * arp_error_report()), neigh_periodic_work()'s garbage collection, and the gratuitous ARP of arp_notify.
 * A plain object: the {@code InetStack} feeds it, and it writes frames through the host's output.
 */
public final class ArpLayer {
    /** gc_thresh1: below this many entries neigh_periodic_work() collects nothing. */
    public static final int GC_THRESH1 = 128;
    /** gc_stale_time, and the period of neigh_periodic_work() (base_reachable_time / 2). */
    public static final long GC_STALE_TIME = 60 * SimTime.SECOND, GC_INTERVAL = 15 * SimTime.SECOND;

    /** What the table needs back from the stack: the sockets' send memory, and its one timer. */
    public interface Stack {
        /** sock_wfree(): an skb charged to socket {@code owner} is freed. */
        void txFreed(int owner, int truesize, long now);

        /** Re-arms the host's wake-up for the stack's earliest deadline (see {@link #nextTimer}). */
        void wakeForTimers();

        /** kfree_skb_reason(): a queued packet is dropped (counted for the flow it belongs to). */
        default void dropped(SkbDropReason reason, byte[] buffer, int offset, int length) {}
    }

    private final Config config;
    private final InetAddrList addrs;
    private final NeighbourParameters parameters;
    private final SplittableRandom random;
    private final StackOutput output;
    private final Counters counters;
    private final IcmpLayer icmp;
    private final Stack stack;
    // the table in (ifindex, address) order for dumps, timers and gc, and its hashed index for lookups
    private final TreeMap<Long, NeighbourEntry<OutPacket>> neighbours = new TreeMap<>();
    private final NeighbourHash<NeighbourEntry<OutPacket>> hashed = new NeighbourHash<>();
    private long nextGc = SimTime.NEVER;
    // the earliest entry timer, exact unless timersMoved (the entry holding it moved its timer): then recomputed
    private long earliestTimer = SimTime.NEVER;
    private boolean timersMoved;
    // ip monitor neigh: every state transition, recorded only when one happens
    private final List<Transition> transitions = new ArrayList<>();

    /** The {@code to} of an entry that neigh_periodic_work() removed (RTM_DELNEIGH). */
    public static final String DELETED = "DELETED";

    // to == null: the entry was deleted
    private record Transition(long time, int ifindex, int address, MacAddress lladdr, NudState from, NudState to) {
    }

    public ArpLayer(InetAddrList addrs, NeighbourParameters parameters, SplittableRandom random,
                    StackOutput output, Counters counters, IcmpLayer icmp, Stack stack) {
        this.config = addrs.config();
        this.addrs = addrs;
        this.parameters = parameters;
        this.random = random;
        this.output = output;
        this.counters = counters;
        this.icmp = icmp;
        this.stack = stack;
    }

    /** The interfaces come up: with arp_notify, a gratuitous ARP request for each address (arp_send(ARPOP_REQUEST, sip = tip)). */
    public void start(long now) {
        if (!config.arpNotify()) return;
        for (Interface i : config.interfaces()) {
            ArpMessage announce = ArpMessage.request(i.mac(), i.address().bits(), i.address().bits());
            output.transmit(i.ifindex(), frame(i.ifindex(), MacAddress.BROADCAST, EtherType.ARP, announce.length(),
                    announce::emit), -1);
            counters.counter("ArpOutRequests").increment();
        }
    }

    // arp_rcv() -> arp_process(): answer requests for a local address (arp_ignore 0: any of ours)
    // and learn the sender of what is addressed to us.
    public void arpRcv(int ifindex, byte[] frame, long now) {
        Parsed<ArpPacket> parsed = ArpPacket.parse(frame, 14, frame.length - 14);
        if (!parsed.isOk()) {
            counters.counter("ArpInErrors").increment();
            return;
        }
        ArpPacket arp = parsed.value();
        if (!addrs.isLocal(Ipv4Address.of(arp.targetProtocolAddress()))) {
            // not for us, but an entry we already have learns the sender's new address (gratuitous ARP;
            // arp_accept 0: no entry is created for it)
            NeighbourEntry<OutPacket> known = hashed.get(key(ifindex, arp.senderProtocolAddress()));
            if (known != null && known.state() != NudState.NONE) {
                long before = known.nextTimer();
                carryOut(ifindex, known, before, known.update(arp.senderHardwareAddress(), NudState.STALE, true, now), now);
                stack.wakeForTimers();
            }
            return;
        }
        NeighbourEntry<OutPacket> entry = neighbour(ifindex, arp.senderProtocolAddress(), now);
        long before = entry.nextTimer();
        if (arp.isRequest()) {
            carryOut(ifindex, entry, before, entry.requestReceived(arp.senderHardwareAddress(), now), now);
            ArpMessage reply = ArpMessage.replyTo(ArpMessage.of(arp), addrs.device(ifindex).mac());
            output.transmit(ifindex, frame(ifindex, arp.senderHardwareAddress(), EtherType.ARP, reply.length(), reply::emit), -1);
        } else {
            carryOut(ifindex, entry, before, entry.replyReceived(arp.senderHardwareAddress(), now), now);
        }
        stack.wakeForTimers();
    }

    // neigh_resolve_output(): the packet goes out now, or waits in the next hop's arp_queue.
    public void resolve(int ifindex, int nextHop, OutPacket packet, long now) {
        NeighbourEntry<OutPacket> entry = neighbour(ifindex, nextHop, now);
        MacAddress to = entry.connectedAddress(now);
        if (to != null) {
            // neigh_event_send() found nothing to do: neigh->output sends at once, no actions to carry out
            notifyChange(ifindex, entry, now);
            transmit(ifindex, to, packet);
        } else {
            long before = entry.nextTimer();
            // a local skb and a forwarded one (the driver's rx head) have the same truesize for the same IP length
            carryOut(ifindex, entry, before, entry.resolve(packet, Inet.truesizeOfPacket(packet.length()), now), now);
        }
        stack.wakeForTimers();
    }

    private static long key(int ifindex, int address) {
        return ((long) ifindex << 32) | (address & 0xffffffffL);
    }

    // __neigh_lookup() with creation (__neigh_create()): a new entry may schedule neigh_periodic_work().
    private NeighbourEntry<OutPacket> neighbour(int ifindex, int address, long now) {
        long key = key(ifindex, address);
        NeighbourEntry<OutPacket> entry = hashed.get(key);
        if (entry != null) return entry;
        if (neighbours.size() + 1 >= GC_THRESH1 && nextGc == SimTime.NEVER) nextGc = now + GC_INTERVAL;
        entry = new NeighbourEntry<>(address, parameters, parameters.drawReachableTime(random), now);
        neighbours.put(key, entry);
        hashed.put(key, entry);
        return entry;
    }

    /** neigh_periodic_work() when it is due. */
    public void periodicWork(long now) {
        if (nextGc <= now) collectGarbage(now);
    }

    // neigh_periodic_work(): with gc_thresh1 entries or more, unused and failed entries go.
    private void collectGarbage(long now) {
        nextGc = SimTime.NEVER;
        if (neighbours.size() < GC_THRESH1) return;
        int before = neighbours.size();
        neighbours.entrySet().removeIf(e -> {
            NeighbourEntry<OutPacket> entry = e.getValue();
            if (!entry.collectable(now, GC_STALE_TIME)) return false;
            // neigh_cleanup_and_release() -> RTM_DELNEIGH: ip monitor neigh prints "Deleted ..."
            transitions.add(new Transition(now, (int) (e.getKey() >>> 32), entry.address(),
                    entry.state().isValid() ? entry.hardwareAddress() : null, entry.state(), null));
            return true;
        });
        if (neighbours.size() != before) {
            hashed.clear();
            neighbours.forEach(hashed::put);
            timersMoved = true;
        }
        counters.counter("periodic_gc_runs").increment();
        counters.counter("destroys").add(before - neighbours.size());
        if (neighbours.size() >= GC_THRESH1) nextGc = now + GC_INTERVAL;
    }

    /** The entries of the neighbour table (ip neigh), for tests. */
    public int neighbourCount() {
        return neighbours.size();
    }

    /** The neighbour entry for {@code address} on {@code ifindex} (ip neigh show), or null: for tests. */
    public NeighbourEntry<?> neighbour(int ifindex, Ipv4Address address) {
        return hashed.get(key(ifindex, address.bits()));
    }

    /** The transitions of the run and the table at its end ({@code ip monitor neigh}, {@code ip neigh}); null if never used. */
    public NeighReport report() {
        if (transitions.isEmpty() && neighbours.isEmpty()) return null;
        int n = transitions.size();
        long[] times = new long[n];
        String[] devices = new String[n], addresses = new String[n], lladdrs = new String[n], from = new String[n],
                to = new String[n];
        for (int i = 0; i < n; i++) {
            Transition t = transitions.get(i);
            times[i] = t.time();
            devices[i] = addrs.device(t.ifindex()).name();
            addresses[i] = ArpMessage.dottedQuad(t.address());
            lladdrs[i] = t.lladdr() == null ? "" : t.lladdr().toString();
            from[i] = t.from().name();
            to[i] = t.to() == null ? DELETED : t.to().name();
        }
        List<String> table = new ArrayList<>();
        // neigh_dump_table(): by device, then address, as the TreeMap keys (ifindex, address) order them
        neighbours.forEach((key, entry) -> table.add(ArpMessage.dottedQuad(entry.address()) + " dev "
                + addrs.device((int) (key >>> 32)).name()
                + (entry.state().isValid() ? " lladdr " + entry.hardwareAddress() : "") + " " + entry.state()));
        return new NeighReport(times, devices, addresses, lladdrs, from, to, table.toArray(new String[0]));
    }

    /** neigh_timer_handler() for every entry whose time has come. */
    public void timerExpired(long now) {
        for (var e : List.copyOf(neighbours.entrySet())) {
            NeighbourEntry<OutPacket> entry = e.getValue();
            long before = entry.nextTimer();
            if (before <= now) carryOut((int) (e.getKey() >>> 32), entry, before, entry.timerExpired(now), now);
        }
    }

    /** The earliest entry timer or garbage collection, or {@link SimTime#NEVER}. */
    public long nextTimer() {
        if (timersMoved) {
            long next = SimTime.NEVER;
            for (NeighbourEntry<OutPacket> entry : neighbours.values()) next = Math.min(next, entry.nextTimer());
            earliestTimer = next;
            timersMoved = false;
        }
        return Math.min(earliestTimer, nextGc);
    }

    // mod_timer() of one entry's timer, from {@code before} to {@code after}: the earliest one kept exact
    private void timerMoved(long before, long after) {
        if (after < earliestTimer) earliestTimer = after;
        else if (before == earliestTimer && after != before) timersMoved = true;
    }

    // neigh_update_notify(): ip monitor neigh hears of a changed state
    private void notifyChange(int ifindex, NeighbourEntry<OutPacket> entry, long now) {
        NudState from = entry.takeNotification();
        if (from != null) {
            transitions.add(new Transition(now, ifindex, entry.address(),
                    entry.state().isValid() ? entry.hardwareAddress() : null, from, entry.state()));
        }
    }

    // what one call on {@code entry} (whose timer was {@code timerBefore}) asked for
    private void carryOut(int ifindex, NeighbourEntry<OutPacket> entry, long timerBefore,
                          List<NeighbourAction<OutPacket>> actions, long now) {
        timerMoved(timerBefore, entry.nextTimer());
        notifyChange(ifindex, entry, now);
        for (NeighbourAction<OutPacket> action : actions) {
            if (action instanceof NeighbourAction.SendRequest<OutPacket> request) {
                arpSolicit(ifindex, entry.address(), request);
            } else if (action instanceof NeighbourAction.Transmit<OutPacket> transmit) {
                for (OutPacket packet : transmit.packets()) transmit(ifindex, transmit.destination(), packet);
            } else if (action instanceof NeighbourAction.Drop<OutPacket> drop) {
                counters.counter("drop_" + drop.reason().name()).add(drop.packets().size());
                for (OutPacket packet : drop.packets()) {
                    stack.dropped(drop.reason(), packet.buffer(), packet.offset(), packet.length());
                    if (drop.reason() == SkbDropReason.NEIGH_FAILED) arpErrorReport(packet, now);
                    freeUnsent(packet, now);
                }
            }
        }
    }

    // neigh->output() -> neigh_resolve_output() -> dev_queue_xmit(): the frame to the device
    private void transmit(int ifindex, MacAddress destination, OutPacket packet) {
        output.transmit(ifindex, ipFrame(ifindex, destination, packet), packet.owner(), packet.tstamp());
    }

    // kfree_skb() of a packet that never reached the driver.
    private void freeUnsent(OutPacket packet, long now) {
        if (packet.owner() >= 0) stack.txFreed(packet.owner(), Inet.truesizeOfPacket(packet.length()), now);
    }

    // arp_error_report() -> ipv4_link_failure() -> icmp_send(HOST_UNREACH): to the sender of a forwarded packet, or
    // for one of our own packets to ourselves through lo, where icmp_rcv() hands it to the sending socket.
    private void arpErrorReport(OutPacket packet, long now) {
        Parsed<Ipv4Packet> ip = Ipv4Packet.parse(packet.buffer(), packet.offset(), packet.length());
        if (!ip.isOk()) return;
        icmp.send(IcmpMessage.destinationUnreachable(IcmpPacket.ICMP_HOST_UNREACH, ip.value()), ip.value(), now);
    }

    // arp_solicit(): a broadcast request while INCOMPLETE, unicast probes for a known address.
    private void arpSolicit(int ifindex, int target, NeighbourAction.SendRequest<OutPacket> request) {
        Interface device = addrs.device(ifindex);
        ArpMessage message = ArpMessage.request(device.mac(), device.address().bits(), target);
        MacAddress to = request.broadcast() ? MacAddress.BROADCAST : request.destination();
        output.transmit(ifindex, frame(ifindex, to, EtherType.ARP, message.length(), message::emit), -1);
        counters.counter("ArpOutRequests").increment();
    }

    private interface Body {
        void emit(byte[] b, int off);
    }

    // neigh_resolve_output() -> dev_hard_header(): eth_header() pushes the header into the packet's headroom and the
    // buffer itself is the frame (each OutPacket goes out once); without the room, the packet is copied behind it.
    private byte[] ipFrame(int ifindex, MacAddress destination, OutPacket packet) {
        EthernetHeader header = EthernetHeader.untagged(destination, addrs.device(ifindex).mac(), EtherType.IPV4);
        if (packet.fitsHeader(header.length())) {
            header.emit(packet.buffer(), 0);
            return packet.buffer();
        }
        byte[] frame = new byte[header.length() + packet.length()];
        header.emit(frame, 0);
        System.arraycopy(packet.buffer(), packet.offset(), frame, header.length(), packet.length());
        return frame;
    }

    private byte[] frame(int ifindex, MacAddress destination, int etherType, int length, Body body) {
        EthernetHeader header = EthernetHeader.untagged(destination, addrs.device(ifindex).mac(), etherType);
        byte[] frame = new byte[header.length() + length];
        header.emit(frame, 0);
        body.emit(frame, header.length());
        return frame;
    }
}
