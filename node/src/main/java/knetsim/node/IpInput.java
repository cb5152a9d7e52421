package knetsim.node;

import knetsim.core.engine.Counters;
import knetsim.link.drop.FlowDrops;
import knetsim.link.wire.Parsed;
import knetsim.node.dev.Loopback;
import knetsim.node.inet.Config;
import knetsim.node.inet.Inet;
import knetsim.node.inet.InetAddrList;
import knetsim.node.inet.InetProtos;
import knetsim.node.inet.MibCounter;
import knetsim.node.inet.NetProtocol;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.ipv4.Reassembler;
import knetsim.node.netfilter.Rule;
import knetsim.node.skb.SkbDropReason;

/**
 * net/ipv4/ip_input.c of one host: ip_rcv() with its header checks and the IP MIB's input counters, then
 * ip_local_deliver() (ip_defrag, the transport's handler from inet_protos) or {@link IpForward}.
 */
final class IpInput {
    /** An skb's truesize not known yet: the driver's kmalloc'd head, sized at local delivery (Inet#rxTruesize). */
    static final int DRIVER_SKB = 0;

    private final Config config;
    private final InetAddrList addrs;
    private final Reassembler reassembler;
    private final InetProtos protos;
    private final NfHooks nf;
    private final IpForward forward;
    private final MibCounter.Drops drops;
    private final FlowDrops flowDrops;
    /** wakeForTimers(): a fragment queue's deadline may have changed. */
    private final Runnable timersChanged;
    private final MibCounter inReceives, inOctets, inCsumErrors, inTruncatedPkts, inHdrErrors, inAddrErrors,
            inDelivers, inUnknownProtos;
    /** IpExtInNoECTPkts, IpExtInECT1Pkts, IpExtInECT0Pkts, IpExtInCEPkts: by the ECN field's value. */
    private final MibCounter[] inEcn = new MibCounter[4];

    IpInput(Config config, InetAddrList addrs, Reassembler reassembler, InetProtos protos, NfHooks nf,
            IpForward forward, Counters counters, MibCounter.Drops drops, FlowDrops flowDrops, Runnable timersChanged) {
        this.config = config;
        this.addrs = addrs;
        this.reassembler = reassembler;
        this.protos = protos;
        this.nf = nf;
        this.forward = forward;
        this.drops = drops;
        this.flowDrops = flowDrops;
        this.timersChanged = timersChanged;
        this.inReceives = new MibCounter(counters, "IpInReceives");
        this.inOctets = new MibCounter(counters, "IpExtInOctets");
        String[] ecn = {"IpExtInNoECTPkts", "IpExtInECT1Pkts", "IpExtInECT0Pkts", "IpExtInCEPkts"};
        for (int i = 0; i < 4; i++) inEcn[i] = new MibCounter(counters, ecn[i]);
        this.inCsumErrors = new MibCounter(counters, "IpExtInCsumErrors");
        this.inTruncatedPkts = new MibCounter(counters, "IpExtInTruncatedPkts");
        this.inHdrErrors = new MibCounter(counters, "IpInHdrErrors");
        this.inAddrErrors = new MibCounter(counters, "IpInAddrErrors");
        this.inDelivers = new MibCounter(counters, "IpInDelivers");
        this.inUnknownProtos = new MibCounter(counters, "IpInUnknownProtos");
    }

    // ip_rcv() -> ip_rcv_finish() of a frame in an skb of {@code truesize} (DRIVER_SKB: the driver's):
    // ip_local_deliver() or ip_forward().
    void rcv(int ifindex, byte[] buf, int off, int length, int truesize, long now) {
        inReceives.increment(); // ip_rcv_core(): IP_UPD_PO_STATS(IPSTATS_MIB_IN, skb->len), padding included
        inOctets.add(length - 14);
        // ... and, once version and IHL are sane, IPSTATS_MIB_NOECTPKTS + (iph->tos & INET_ECN_MASK)
        if (length >= 34 && (buf[off + 14] & 0xf0) == 0x40 && (buf[off + 14] & 0x0f) >= 5) inEcn[buf[off + 15] & 3].increment();
        Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(buf, off + 14, length - 14);
        SkbDropReason reason = Ipv4Packet.dropReason(parsed);
        if (reason != SkbDropReason.NOT_DROPPED_YET) {
            // ip_rcv_core(): csum_error falls through to inhdr_error, so both count a bad checksum
            if (reason == SkbDropReason.IP_CSUM) inCsumErrors.increment();
            if (reason == SkbDropReason.PKT_TOO_SMALL) inTruncatedPkts.increment();
            else inHdrErrors.increment();
            drops.drop(reason);
            flowDrops.ip(reason.name(), buf, off + 14, length - 14);
            return;
        }
        Ipv4Packet packet = parsed.value();
        String in = addrs.device(ifindex).name();
        if (!nf.hook(Rule.Hook.PRE_ROUTING, packet, in, null, now)) return;
        // a packet from lo keeps the local route it was sent by (skb_dst_force() in loopback_xmit())
        if (ifindex == Loopback.IFINDEX || addrs.isLocal(packet.destination())) {
            localDeliver(packet, in, truesize, now);
        } else if (config.forwarding()) {
            forward.forward(packet, in, now);
        } else {
            inAddrErrors.increment();
            drops.drop(SkbDropReason.OTHERHOST);
            flowDrops.ip(SkbDropReason.OTHERHOST.name(), packet.buffer(), packet.offset(), packet.totalLength());
        }
    }

    // ip_local_deliver(): reassemble fragments (ip_defrag), then the protocol's handler from inet_protos.
    private void localDeliver(Ipv4Packet packet, String in, int skbTruesize, long now) {
        // a driver copies a frame into a kmalloc'd head; lo's sender's skb came with its own (loopbackRcv)
        int truesize = skbTruesize != DRIVER_SKB ? skbTruesize : Inet.rxTruesize(packet.totalLength());
        if (packet.isFragment()) {
            byte[] bytes = java.util.Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.totalLength());
            var outcome = reassembler.accept(bytes, now);
            timersChanged.run();
            if (outcome instanceof Reassembler.Dropped dropped) {
                drops.drop(dropped.reason());
                flowDrops.ip(dropped.reason().name(), bytes, 0, bytes.length);
            }
            if (!(outcome instanceof Reassembler.Reassembled whole)) return;
            packet = Ipv4Packet.parse(whole.datagram(), 0, whole.datagram().length).value();
            truesize = whole.truesize();
        }
        if (!nf.hook(Rule.Hook.LOCAL_IN, packet, in, null, now)) return;
        inDelivers.increment();
        NetProtocol handler = protos.get(packet.protocol());
        if (handler != null) handler.handler(packet, truesize, now);
        else inUnknownProtos.increment();
    }

    // ip_protocol_deliver_rcu(): IPSTATS_MIB_INUNKNOWNPROTOS for a protocol the host has no handler for.
    void unknownProtocol() {
        inUnknownProtos.increment();
    }
}
