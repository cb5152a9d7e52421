package knetsim.node.skb;

import java.util.Arrays;
import knetsim.link.Frame;

/**
 * The sk_buff: a packet's real bytes in one {@code byte[]} with the kernel's head/data/tail/end window, so each layer
 * pushes its header in front or pulls it off without copying, as the Linux stack does. Mutable and owned by exactly
 * one stage at a time (a message hands it over), which is why it needs no locking and no reference count.
 *
 * <p>All offsets are indices into {@link #buffer()}; {@code head} is always 0, so they equal the kernel's offsets
 * from {@code skb->head}. The buffer is linear: there are no page fragments, so {@code data_len} is always 0.
 *
 * <p>There is no {@code skb_clone()}: a clone shares its data with the original, and two owners of one buffer would
 * break the hand-over rule. TCP builds a fresh segment for every (re)transmission instead, and a capture tap takes
 * {@link #copyBytes()}. {@link #copy()} is {@code skb_copy()}, a full private copy.
 */
public final class SkBuff {
    /** NET_SKB_PAD: headroom drivers reserve in front of received frames (and the stack in front of what it sends). */
    public static final int NET_SKB_PAD = 64;
    /** SMP_CACHE_BYTES on x86-64 (L1_CACHE_SHIFT 6): what SKB_DATA_ALIGN() rounds up to. */
    public static final int SMP_CACHE_BYTES = 64;
    /**
     * sizeof(struct sk_buff) on x86-64 with a typical config, as pahole reports it (netdev, April 2023: 232, or 224
     * with a lucky config); SKB_DATA_ALIGN makes either 256.
     */
    public static final int SIZEOF_SK_BUFF = 232;
    /** sizeof(struct skb_shared_info) on x86-64 with MAX_SKB_FRAGS 17; already a multiple of 64. */
    public static final int SIZEOF_SKB_SHARED_INFO = 320;

    // The kernel marks an unset mac/transport header with ~0 in its u16 offset; -1 is the same idea.
    private static final int UNSET = -1;

    // null while the bytes are only source's (copy on write): the buffer would be zeros with source at sourceAt
    private byte[] buffer;
    private final int size;
    private final int truesize;
    private int data;
    private int tail;
    private int macHeader = UNSET;
    private int networkHeader = UNSET;
    private int transportHeader = UNSET;
    private int priority;
    private int mark;
    private long timestamp;
    private long enqueueTime;
    private int ownerSocket = -1;
    private SkbDropReason dropReason = SkbDropReason.NOT_DROPPED_YET;
    // contentHash() of the window [hashData, hashTail), or hashTail == UNSET when there is none. An skb is hashed at
    // every event that carries it (tx queue, tx completion), and hashing is most of a hop's cost, so it is kept until
    // the bytes may change: buffer() hands out the array for writing and so drops it; window moves change the key.
    private int hashData;
    private int hashTail = UNSET;
    private long hash;
    // An array nobody writes (a frame) that the buffer holds at sourceAt: read in place, copied at the first buffer().
    private byte[] source;
    private int sourceAt;

    private SkBuff(byte[] buffer) {
        this.buffer = buffer;
        this.size = buffer.length;
        this.truesize = allocTruesize(buffer.length);
    }

    private SkBuff(int size, byte[] source, int sourceAt) {
        this.size = size;
        this.truesize = allocTruesize(size);
        this.source = source;
        this.sourceAt = sourceAt;
    }

    /**
     * alloc_skb(headroom + size) followed by skb_reserve(headroom): an empty skb with {@code headroom} bytes in front
     * for headers to be pushed into and {@code size} bytes of tail room to put data into.
     */
    public static SkBuff allocate(int headroom, int size) {
        if (headroom < 0 || size < 0) {
            throw new IllegalArgumentException("alloc_skb: negative headroom " + headroom + " or size " + size);
        }
        long total = (long) headroom + size;
        // Leave room for the alignment in truesizeOf(), which must not overflow an int.
        if (total > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException("alloc_skb: headroom " + headroom + " + size " + size + " too large");
        }
        SkBuff skb = new SkBuff(new byte[(int) total]);
        skb.reserve(headroom);
        return skb;
    }

    /**
     * An skb holding a received frame's bytes after {@code headroom}, what a driver builds in its rx poll (the frame's
     * array is shared until someone asks for the buffer: {@link #sharing}).
     * Its content hash is the frame's, already computed, so the bytes are not hashed again.
     */
    public static SkBuff ofFrame(int headroom, Frame frame) {
        SkBuff skb = sharing(headroom, frame.bytes());
        skb.hash = frame.bytesHash();
        skb.hashData = skb.data;
        skb.hashTail = skb.tail;
        return skb;
    }

    /**
     * alloc_skb(headroom + length), skb_reserve(headroom), skb_put(length) and a copy of {@code bytes}, which nobody
     * may write afterwards (a frame): the copy is made only when the buffer is asked for ({@link #buffer()},
     * {@link #bufferForReading()}); readers of the window ({@link #readArray()}) and the wire read {@code bytes}.
     */
    public static SkBuff sharing(int headroom, byte[] bytes) {
        if (headroom < 0) throw new IllegalArgumentException("alloc_skb: negative headroom " + headroom);
        if ((long) headroom + bytes.length > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException("alloc_skb: headroom " + headroom + " + size " + bytes.length + " too large");
        }
        SkBuff skb = new SkBuff(headroom + bytes.length, bytes, headroom);
        skb.data = headroom;
        skb.tail = headroom + bytes.length;
        return skb;
    }

    // the buffer a writer or an absolute-offset reader gets: the copy of the source is made now
    private byte[] materialized() {
        if (buffer == null) {
            buffer = new byte[size];
            System.arraycopy(source, 0, buffer, sourceAt, source.length);
            source = null;
        }
        return buffer;
    }

    // the window lies within the source, so it can be read there
    private boolean windowInSource() {
        return buffer == null && data >= sourceAt && tail <= sourceAt + source.length;
    }

    /**
     * An array holding the window's bytes at {@link #readOffset()}, for reading only: the shared frame while the
     * buffer was not asked for, else the buffer. Nothing may write through it.
     */
    public byte[] readArray() {
        return windowInSource() ? source : materialized();
    }

    /** Where {@link #readArray()} holds the byte at data. */
    public int readOffset() {
        if (windowInSource()) return data - sourceAt;
        materialized();
        return data;
    }

    /** SKB_DATA_ALIGN(): rounds up to a whole cache line. */
    public static int dataAlign(int size) {
        return (size + SMP_CACHE_BYTES - 1) & -SMP_CACHE_BYTES;
    }

    /**
     * SKB_TRUESIZE(SKB_DATA_ALIGN(size)) = aligned data + 256 + 320: the truesize of a head built around a buffer of
     * exactly that size (build_skb() on a page fragment, napi_alloc_skb()'s page-frag path), and of TCP's write-queue
     * skbs here. A head from kmalloc() is rounded up to its slab: {@link #allocTruesize}.
     */
    public static int truesizeOf(int size) {
        return dataAlign(size) + dataAlign(SIZEOF_SK_BUFF) + dataAlign(SIZEOF_SKB_SHARED_INFO);
    }

    /**
     * SKB_SMALL_HEAD_CACHE_SIZE: heads up to SKB_HEAD_ALIGN(MAX_TCP_HEADER) = 320 + 320 bytes come from their own
     * slab (skb_small_head_cache, Linux 6.3+) instead of kmalloc-1k.
     */
    public static final int SMALL_HEAD_CACHE_SIZE = 640;

    // kmalloc_reserve(): the slab object a head of objSize bytes gets: the small-head cache, else
    // kmalloc_size_roundup() - SLUB's kmalloc-1k/2k/4k/8k, and whole pages of order get_order() above 8 KiB: either
    // way the next power of two above 640 bytes.
    public static int kmallocReserve(int objSize) {
        if (objSize <= SMALL_HEAD_CACHE_SIZE) return SMALL_HEAD_CACHE_SIZE;
        return Integer.highestOneBit(objSize - 1) << 1;
    }

    /**
     * __alloc_skb(size): the head is kmalloc_reserve(SKB_DATA_ALIGN(size) + SKB_DATA_ALIGN(sizeof(skb_shared_info)));
     * skb_shared_info goes at the very end of the slab object and truesize = SKB_TRUESIZE(object - 320) = object +
     * 256. For example a 1000-byte UDP datagram in an Ethernet frame (1042 bytes) with NET_SKB_PAD in front: 1106,
     * aligned 1152, + 320 = 1472, kmalloc-2048, truesize 2048 - 320 + 256 + 320 = 2304.
     */
    public static int allocTruesize(int size) {
        return kmallocReserve(dataAlign(size) + dataAlign(SIZEOF_SKB_SHARED_INFO)) + dataAlign(SIZEOF_SK_BUFF);
    }

    /**
     * The truesize of the skb a driver builds for a received frame of {@code frameLength} bytes ({@link #ofFrame}
     * with NET_SKB_PAD): the frame copied into a head from __alloc_skb(), as the copying drivers do and as a frame
     * that crossed a veth or lo arrives (the sender's alloc_skb() of the IP bytes + LL_RESERVED_SPACE + 15 falls
     * into the same slab for the sizes that matter). A driver that DMAs into half pages and build_skb()s them
     * (ixgbe, igb) charges 2304 for every frame instead; one on page fragments SKB_TRUESIZE of the aligned length.
     */
    public static int rxTruesize(int frameLength) {
        return allocTruesize(NET_SKB_PAD + frameLength);
    }

    // skb_reserve(): moves the empty window forward, so it is meant for a fresh skb before any put().
    public void reserve(int n) {
        requireNonNegative("skb_reserve", n);
        if (n > tailroom()) throw new IllegalStateException(panic("skb_over_panic", "reserve", n, tailroom()));
        data += n;
        tail += n;
    }

    // skb_push(): the caller writes the new header at the returned offset.
    public int push(int n) {
        requireNonNegative("skb_push", n);
        if (n > headroom()) throw new IllegalStateException(panic("skb_under_panic", "push", n, headroom()));
        data -= n;
        return data;
    }

    // skb_pull(): the kernel returns NULL and leaves the skb alone when asked for more than len; -1 stands for NULL.
    public int pull(int n) {
        requireNonNegative("skb_pull", n);
        if (n > len()) return -1;
        data += n;
        return data;
    }

    // pskb_may_pull(): with a linear buffer the header is present exactly when len covers it.
    public boolean mayPull(int n) {
        return n >= 0 && n <= len();
    }

    // skb_put(): the caller writes the new bytes at the returned offset (the old tail).
    public int put(int n) {
        requireNonNegative("skb_put", n);
        if (n > tailroom()) throw new IllegalStateException(panic("skb_over_panic", "put", n, tailroom()));
        int at = tail;
        tail += n;
        return at;
    }

    // skb_trim(): drops trailing bytes such as Ethernet padding; a longer length is ignored, as in the kernel.
    public void trim(int newLen) {
        requireNonNegative("skb_trim", newLen);
        if (newLen < len()) tail = data + newLen;
    }

    private static void requireNonNegative(String function, int n) {
        if (n < 0) throw new IllegalArgumentException(function + ": negative length " + n);
    }

    private String panic(String kind, String operation, int n, int room) {
        return kind + ": " + operation + " " + n + " bytes but only " + room + " available (len:" + len()
                + " head:0 data:" + data + " tail:" + tail + " end:" + end() + ")";
    }

    public byte[] buffer() {
        hashTail = UNSET; // the caller may write: see contentHash()
        return materialized();
    }

    /**
     * The same array as {@link #buffer()}, for reading only (the content hash is kept): a receive path that parses the
     * bytes in place instead of copying them. Nothing may write through it, now or later.
     */
    public byte[] bufferForReading() {
        return materialized();
    }

    /** Always 0: the window starts at the beginning of {@link #buffer()}. */
    public int head() {
        return 0;
    }

    public int data() {
        return data;
    }

    public int tail() {
        return tail;
    }

    public int end() {
        return size;
    }

    /** skb->len: bytes from data to tail; at dev_queue_xmit() this is the L2 frame without FCS. */
    public int len() {
        return tail - data;
    }

    // skb_headroom()
    public int headroom() {
        return data;
    }

    // skb_tailroom()
    public int tailroom() {
        return size - tail;
    }

    /** Offset of the link-layer header, or -1 if never set (skb_mac_header_was_set() false). */
    public int macHeader() {
        return macHeader;
    }

    // skb_reset_mac_header()
    public void resetMacHeader() {
        macHeader = data;
    }

    // skb_set_mac_header(): offset is relative to data and may be negative.
    public void setMacHeader(int offsetFromData) {
        macHeader = headerAt(offsetFromData);
    }

    // skb_mac_header_was_set()
    public boolean macHeaderWasSet() {
        return macHeader != UNSET;
    }

    /** Offset of the network header, or -1 if never set (the kernel leaves 0 there; -1 makes misuse visible). */
    public int networkHeader() {
        return networkHeader;
    }

    // skb_reset_network_header()
    public void resetNetworkHeader() {
        networkHeader = data;
    }

    // skb_set_network_header()
    public void setNetworkHeader(int offsetFromData) {
        networkHeader = headerAt(offsetFromData);
    }

    /** Offset of the transport header, or -1 if never set. */
    public int transportHeader() {
        return transportHeader;
    }

    // skb_reset_transport_header()
    public void resetTransportHeader() {
        transportHeader = data;
    }

    // skb_set_transport_header()
    public void setTransportHeader(int offsetFromData) {
        transportHeader = headerAt(offsetFromData);
    }

    // skb_transport_header_was_set()
    public boolean transportHeaderWasSet() {
        return transportHeader != UNSET;
    }

    private int headerAt(int offsetFromData) {
        long at = (long) data + offsetFromData;
        if (at < 0 || at > size) {
            throw new IllegalArgumentException("header offset " + offsetFromData + " from data " + data
                    + " is outside the buffer [0, " + size + "]");
        }
        return (int) at;
    }

    /** skb->truesize: what the skb costs in memory, charged to sk_rmem_alloc / sk_wmem_alloc. */
    public int truesize() {
        return truesize;
    }

    /** skb->priority: set from SO_PRIORITY or the IP TOS; pfifo_fast maps its low 4 bits to a band. */
    public int priority() {
        return priority;
    }

    public void setPriority(int priority) {
        this.priority = priority;
    }

    /** skb->mark: the netfilter / SO_MARK mark. */
    public int mark() {
        return mark;
    }

    public void setMark(int mark) {
        this.mark = mark;
    }

    /**
     * skb->tstamp in virtual nanoseconds: on receive, when the packet arrived; on transmit, its earliest departure
     * time (EDT, as TCP sets it for pacing), 0 meaning "now". fq holds a packet until then.
     */
    public long timestamp() {
        return timestamp;
    }

    public void setTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    /** The qdisc's control block time (codel_skb_cb.enqueue_time, fq's time_to_send): set and read by the qdisc. */
    public long enqueueTime() {
        return enqueueTime;
    }

    public void setEnqueueTime(long enqueueTime) {
        this.enqueueTime = enqueueTime;
    }

    /** Opaque id of the socket this skb is charged to (skb->sk), or -1 for none. */
    public int ownerSocket() {
        return ownerSocket;
    }

    public void setOwnerSocket(int ownerSocket) {
        this.ownerSocket = ownerSocket;
    }

    /** Why this skb was freed; {@link SkbDropReason#NOT_DROPPED_YET} while it is alive. */
    public SkbDropReason dropReason() {
        return dropReason;
    }

    public void setDropReason(SkbDropReason dropReason) {
        if (dropReason == null) throw new IllegalArgumentException("dropReason must not be null");
        this.dropReason = dropReason;
    }

    /** The bytes from data to tail, for a capture: the caller gets its own array. */
    public byte[] copyBytes() {
        byte[] b = readArray();
        int at = readOffset();
        return Arrays.copyOfRange(b, at, at + len());
    }

    /**
     * The bytes from data to tail in an array nobody writes (a frame on the wire): the shared frame itself when the
     * window is exactly it and the buffer was never asked for, else a copy.
     */
    public byte[] immutableBytes() {
        if (buffer == null && data == sourceAt && tail == sourceAt + source.length) return source;
        return copyBytes();
    }

    /**
     * skb_copy(): a private copy of the whole buffer with the same window, headers and metadata. Like the kernel's
     * copy it belongs to no socket (skb->sk is not copied) and has not been dropped.
     */
    public SkBuff copy() {
        SkBuff c = new SkBuff(materialized().clone());
        c.data = data;
        c.tail = tail;
        c.macHeader = macHeader;
        c.networkHeader = networkHeader;
        c.transportHeader = transportHeader;
        c.priority = priority;
        c.mark = mark;
        c.timestamp = timestamp;
        return c;
    }

    @Override
    public String toString() {
        return "SkBuff[len=" + len() + " headroom=" + headroom() + " tailroom=" + tailroom() + " truesize=" + truesize
                + " priority=" + priority + (dropReason.isDrop() ? " drop=" + dropReason.name() : "") + "]";
    }

    /**
     * {@link Frame#hashOf} of the bytes from data to tail: the fingerprint of events that carry this skb. Kept until the next
     * {@link #buffer()} call or window move. So do not keep the array from buffer() and write through it later: the
     * owner writes while it holds the skb, right after buffer(), and events are hashed when they are received.
     */
    public long contentHash() {
        if (hashTail != tail || hashData != data) {
            int at = readOffset();
            hash = Frame.hashOf(readArray(), at, at + len());
            hashData = data;
            hashTail = tail;
        }
        return hash;
    }
}
