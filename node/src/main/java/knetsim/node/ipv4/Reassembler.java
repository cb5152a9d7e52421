package knetsim.node.ipv4;

import knetsim.link.wire.NetworkBytes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import knetsim.link.wire.Parsed;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;

/**
 * ip_defrag() and the inet_frag queues as a plain object the owner drives with virtual time, so reassembly, its
 * RFC 5722-style overlap policy, the 30 s timer and the memory limit behave as in Linux 4.17 and later.
 * Linux keeps one queue per (source, destination, protocol, identification, defrag user, vrf); here user and vrf
 * are always IP_DEFRAG_LOCAL_DELIVER and 0.
 */
public final class Reassembler {
    /** ipfrag_time: IP_FRAG_TIME = 30 * HZ, counted from the queue's creation and never extended. */
    public static final long IPFRAG_TIME_NS = 30_000_000_000L;
    /** ipfrag_high_thresh: 4 * 1024 * 1024 in ipv4_frags_init_net(). */
    public static final long IPFRAG_HIGH_THRESH = 4L * 1024 * 1024;
    /** sizeof(struct ipq) as ipv4_frags_init_net()'s comment gives it; charged per queue (inet_frags.qsize). */
    public static final int IPQ_SIZE = 200;
    static final int ETH_HLEN = 14;

    /** The queue key of ip_find(): struct frag_v4_compare_key without user and vif. */
    public record Key(Ipv4Address source, Ipv4Address destination, int protocol, int identification) {
    }

    /** What became of one fragment handed to {@link #accept}. */
    public sealed interface Outcome permits Queued, Reassembled, Dropped {
    }

    /** Kept for later: ip_defrag() returned -EINPROGRESS. */
    public record Queued(Key key) implements Outcome {
    }

    /**
     * The fragment completed its datagram; {@code datagram} is the whole packet, header rewritten; {@code truesize}
     * is the fragments' together (inet_frag_reasm_finish(): head->truesize += fp->truesize), what a socket is charged.
     */
    public record Reassembled(Key key, byte[] datagram, int truesize) implements Outcome {
    }

    /**
     * The fragment was freed with {@code reason}; {@code queueDiscarded} says whether its whole queue went too
     * (an overlap, an inconsistent end, or a failed reassembly), as inet_frag_kill() does.
     */
    public record Dropped(Key key, SkbDropReason reason, boolean queueDiscarded) implements Outcome {
    }

    /**
     * A queue ip_expire() killed. {@code firstFragment} is fragment 0's bytes, or null when it never came: only with
     * it does Linux send ICMP time exceeded, code 1 (and only when the datagram was for this host).
     */
    public record Expired(Key key, byte[] firstFragment) {
        public boolean firstFragmentPresent() {
            return firstFragment != null;
        }
    }

    /** nstat names: IpReasmReqds, IpReasmOKs, IpReasmFails, IpReasmTimeout (/proc/net/snmp) and IpExtReasmOverlaps (netstat). */
    public record Stats(long reasmReqds, long reasmOks, long reasmFails, long reasmTimeout, long reasmOverlaps) {
        public Map<String, Long> asMap() {
            Map<String, Long> map = new LinkedHashMap<>();
            map.put("IpReasmTimeout", reasmTimeout);
            map.put("IpReasmReqds", reasmReqds);
            map.put("IpReasmOKs", reasmOks);
            map.put("IpReasmFails", reasmFails);
            map.put("IpExtReasmOverlaps", reasmOverlaps);
            return map;
        }
    }

    private final long timeoutNs;
    private final long highThresh;
    // Creation order is deadline order, since every queue gets the same timeout: expire() stops at the first live one.
    private final LinkedHashMap<Key, FragmentQueue> queues = new LinkedHashMap<>();
    private long memory;
    private long reasmReqds;
    private long reasmOks;
    private long reasmFails;
    private long reasmTimeout;
    private long reasmOverlaps;

    /** Linux's defaults: 30 s and 4 MiB. */
    public Reassembler() {
        this(IPFRAG_TIME_NS, IPFRAG_HIGH_THRESH);
    }

    public Reassembler(long timeoutNs, long highThresh) {
        if (timeoutNs <= 0 || highThresh < 0) {
            throw new IllegalArgumentException("timeout " + timeoutNs + " ns, high_thresh " + highThresh);
        }
        this.timeoutNs = timeoutNs;
        this.highThresh = highThresh;
    }

    /**
     * ip_defrag() for a fragment that arrived in an Ethernet frame: charged as the truesize of the skb the driver
     * built for the frame ({@link SkBuff#rxTruesize} of 14 + the IP bytes).
     */
    public Outcome accept(byte[] fragment, long now) {
        Ipv4Packet packet = parseFragment(fragment);
        return accept(packet, SkBuff.rxTruesize(ETH_HLEN + packet.totalLength()), now);
    }

    /** ip_defrag() for a fragment whose skb costs {@code truesize} bytes (what ipfrag_high_thresh counts). */
    public Outcome accept(byte[] fragment, int truesize, long now) {
        return accept(parseFragment(fragment), truesize, now);
    }

    private Outcome accept(Ipv4Packet packet, int truesize, long now) {
        reasmReqds++;
        Key key = new Key(packet.source(), packet.destination(), packet.protocol(), packet.identification());
        // inet_frag_find(): above high_thresh no queue is found or made, so every fragment is refused until timers
        // free memory. Linux 4.17 removed the evictor that used to prune the oldest queues down to low_thresh.
        FragmentQueue q = memory > highThresh ? null : queues.get(key);
        if (q == null) {
            if (memory > highThresh || highThresh == 0) {
                reasmFails++;
                return new Dropped(key, SkbDropReason.NOT_SPECIFIED, false);
            }
            q = new FragmentQueue(now + timeoutNs);
            queues.put(key, q);
            memory += IPQ_SIZE;
        }
        return fragQueue(key, q, packet, truesize);
    }

    // ip_frag_queue()
    private Outcome fragQueue(Key key, FragmentQueue q, Ipv4Packet packet, int truesize) {
        int offset = packet.fragmentOffset() * 8;
        int end = offset + packet.payloadLength();
        if (!packet.moreFragments()) {
            // "If we already have some bits beyond end or have different end, the segment is corrupted."
            if (end < q.len || (q.lastIn && end != q.len)) {
                return discard(key, SkbDropReason.NOT_SPECIFIED);
            }
            q.lastIn = true;
            q.len = end;
        } else {
            end &= ~7;
            if (end > q.len) {
                if (q.lastIn) {
                    return discard(key, SkbDropReason.NOT_SPECIFIED);
                }
                q.len = end;
            }
        }
        if (end == offset) {
            return discard(key, SkbDropReason.NOT_SPECIFIED);
        }
        FragmentQueue.Insert insert = q.insert(offset, end);
        if (insert == FragmentQueue.Insert.DUP) {
            // Duplicates are dropped alone; the queue stays for the fragments still missing.
            return new Dropped(key, SkbDropReason.DUP_FRAG, false);
        }
        if (insert == FragmentQueue.Insert.OVERLAP) {
            reasmOverlaps++;
            return discard(key, SkbDropReason.NOT_SPECIFIED);
        }
        q.store(packet, offset, end, truesize);
        memory += truesize;
        if (q.complete()) {
            return fragReasm(key, q);
        }
        return new Queued(key);
    }

    // ip_frag_reasm(): the header is fragment 0's, with total length, ECN, frag_off and checksum rewritten.
    private Outcome fragReasm(Key key, FragmentQueue q) {
        kill(key);
        int ecn = FragmentQueue.ecnOf(q.ecn);
        byte[] head = q.head();
        int hlen = (head[0] & 0x0f) * 4;
        int len = hlen + q.len;
        if (ecn < 0 || len > Ipv4Packet.MAX_TOTAL_LEN) {
            // An invalid ECN mix or an oversized datagram (-E2BIG): REASMFAILS, the queue freed.
            reasmFails++;
            return new Dropped(key, SkbDropReason.NOT_SPECIFIED, true);
        }
        byte[] datagram = q.assemble(hlen);
        NetworkBytes.writeShort(datagram, 2, len);
        datagram[1] = (byte) (datagram[1] | ecn);
        // DF is set again only when the largest fragment carried it, so a forwarder refragments no smaller than
        // the sender did (IPSKB_FRAG_PMTU).
        NetworkBytes.writeShort(datagram, 6, q.maxDfSize == q.maxSize ? Ipv4Packet.IP_DF : 0);
        NetworkBytes.writeShort(datagram, Ipv4Packet.CHECK, 0);
        NetworkBytes.writeShort(datagram, Ipv4Packet.CHECK, InternetChecksum.compute(datagram, 0, hlen));
        reasmOks++;
        return new Reassembled(key, datagram, (int) q.truesize);
    }

    private Dropped discard(Key key, SkbDropReason reason) {
        kill(key);
        reasmFails++;
        return new Dropped(key, reason, true);
    }

    // inet_frag_kill() + inet_frag_destroy(): unhashed, so a late fragment of the same datagram starts a new queue.
    private void kill(Key key) {
        FragmentQueue q = queues.remove(key);
        memory -= IPQ_SIZE + q.truesize;
    }

    /**
     * ip_expire() for every queue whose deadline (first fragment + ipfrag_time) is at or before {@code now}, in
     * deadline order; each counts ReasmFails and ReasmTimeout. A fragment handed to {@link #accept} at the deadline
     * before this runs still joins its queue.
     */
    public List<Expired> expire(long now) {
        List<Expired> expired = new ArrayList<>();
        Iterator<Map.Entry<Key, FragmentQueue>> it = queues.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, FragmentQueue> e = it.next();
            FragmentQueue q = e.getValue();
            if (q.deadline > now) {
                break;
            }
            it.remove();
            memory -= IPQ_SIZE + q.truesize;
            reasmFails++;
            reasmTimeout++;
            expired.add(new Expired(e.getKey(), q.firstIn ? q.firstFragment() : null));
        }
        return expired;
    }

    /** When the next queue times out, for the owner's timer; empty with no queue. */
    public OptionalLong nextDeadline() {
        return queues.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(queues.values().iterator().next().deadline);
    }

    /** Bytes charged against ipfrag_high_thresh: 200 per queue plus the truesize of each queued fragment. */
    public long memory() {
        return memory;
    }

    /** Incomplete datagrams held. */
    public int queueCount() {
        return queues.size();
    }

    public Stats stats() {
        return new Stats(reasmReqds, reasmOks, reasmFails, reasmTimeout, reasmOverlaps);
    }

    @Override
    public String toString() {
        return "Reassembler[queues=" + queues.size() + " memory=" + memory + "]" + stats().asMap();
    }

    private static Ipv4Packet parseFragment(byte[] fragment) {
        Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(fragment, 0, fragment.length);
        if (!parsed.isOk()) {
            throw new IllegalArgumentException("not an IPv4 packet: " + parsed.reason());
        }
        if (!parsed.value().isFragment()) {
            throw new IllegalArgumentException("not a fragment: " + parsed.value());
        }
        return parsed.value();
    }
}
