package knetsim.node.socket;

import java.util.ArrayDeque;

/**
 * What every socket has (struct sock): the buffer sizes, send memory charged against sk_sndbuf until the
 * driver frees the skb, the pending error sk_err, the IP_RECVERR error queue, the IP options we model, and
 * its wait queue. The datagram receive queue is {@link DatagramSock}'s; TCP keeps its own queues.
 */
public abstract class Sock {
    /** rmem_default and wmem_default: the buffers a socket gets without SO_RCVBUF/SO_SNDBUF. */
    public static final int RMEM_DEFAULT = 212_992, WMEM_DEFAULT = 212_992;
    /** SOCK_MIN_RCVBUF / SOCK_MIN_SNDBUF for the smallest a setsockopt can make them. */
    public static final int SOCK_MIN_RCVBUF = 2_304, SOCK_MIN_SNDBUF = 4_608;
    /** rmem_max/wmem_max: setsockopt() caps the value asked for here before doubling it. */
    public static final int RMEM_MAX = 212_992, WMEM_MAX = 212_992;
    /**
     * IP_PMTUDISC_DONT (never DF), IP_PMTUDISC_WANT (DF when the datagram fits, Linux's default), IP_PMTUDISC_DO
     * and IP_PMTUDISC_PROBE (DF, sized to the device's MTU whatever the path MTU learned).
     */
    public static final int PMTUDISC_DONT = 0, PMTUDISC_WANT = 1, PMTUDISC_DO = 2, PMTUDISC_PROBE = 3;

    private final int id;
    private final ArrayDeque<SyscallResult.ErrorReceived> errorQueue = new ArrayDeque<>();
    private int rcvbuf = RMEM_DEFAULT;
    private int sndbuf = WMEM_DEFAULT;
    private long wmemAlloc;
    private int pendingError;
    private int ttl = 64;
    private int tos;
    private int pmtudisc = PMTUDISC_WANT;
    private boolean recverr;
    private int inetId;

    private final WaitQueue waitQueue = new WaitQueue();

    protected Sock(int id) {
        this.id = id;
    }

    /** sk_sleep(): the calls blocked on this socket. */
    public WaitQueue waitQueue() {
        return waitQueue;
    }

    /** The socket's number in its host; skbs it sends carry it as their owner. */
    public int id() {
        return id;
    }

    /** sock_alloc_send_pskb()'s test: a send may allocate while sk_wmem_alloc is below sk_sndbuf. */
    public boolean writable() {
        return wmemAlloc < sndbuf;
    }

    /** sock_writeable(): EPOLLOUT, and what sk_write_space() waits for before waking a writer: half free. */
    public boolean writeSpace() {
        return wmemAlloc < (sndbuf >> 1);
    }

    public void chargeWrite(int truesize) {
        wmemAlloc += truesize;
    }

    /** sock_wfree(): the skb left the host or was dropped. */
    public void releaseWrite(int truesize) {
        wmemAlloc -= truesize;
        if (wmemAlloc < 0) throw new IllegalStateException("socket " + id + " released more send memory than it charged");
    }

    public long wmemAlloc() {
        return wmemAlloc;
    }

    /** sk_err: set by an ICMP error; the next call returns it once (sock_error()). */
    public void setPendingError(int errno) {
        pendingError = errno;
    }

    public int takePendingError() {
        int e = pendingError;
        pendingError = 0;
        return e;
    }

    public boolean hasPendingError() {
        return pendingError != 0;
    }

    /** sock_queue_err_skb(): for IP_RECVERR sockets; bounded by sk_rcvbuf like the receive queue. */
    public void queueError(SyscallResult.ErrorReceived error) {
        if (errorQueue.size() * 512L > rcvbuf) return;
        errorQueue.add(error);
    }

    /** ip_recv_error() -> sock_dequeue_err_skb(): sk_err becomes the next queued error's, or 0. */
    public SyscallResult.ErrorReceived dequeueError() {
        SyscallResult.ErrorReceived e = errorQueue.poll();
        if (e == null) return null; // nothing queued: EAGAIN, and sk_err is left alone
        SyscallResult.ErrorReceived next = errorQueue.peek();
        pendingError = next == null ? 0 : next.errno();
        return e;
    }

    public boolean hasQueuedError() {
        return !errorQueue.isEmpty();
    }

    /** sock_setsockopt(SO_RCVBUF): doubled for bookkeeping overhead, capped by rmem_max first. */
    public void setRcvbuf(int asked) {
        rcvbuf = Math.max(SOCK_MIN_RCVBUF, 2 * Math.min(asked, RMEM_MAX));
    }

    public void setSndbuf(int asked) {
        sndbuf = Math.max(SOCK_MIN_SNDBUF, 2 * Math.min(asked, WMEM_MAX));
    }

    /** Sets sk_rcvbuf itself, not doubled: what a test or a config means by "a buffer of N bytes". */
    public void setRcvbufExactly(int bytes) {
        if (bytes < 1) throw new IllegalArgumentException("rcvbuf must be positive, got " + bytes);
        rcvbuf = bytes;
    }

    /** Sets sk_sndbuf itself, not doubled (TCP's send-buffer autotuning, tcp_sndbuf_expand()). */
    public void setSndbufExactly(int bytes) {
        if (bytes < 1) throw new IllegalArgumentException("sndbuf must be positive, got " + bytes);
        sndbuf = bytes;
    }

    public int rcvbuf() {
        return rcvbuf;
    }

    public int sndbuf() {
        return sndbuf;
    }

    public int ttl() {
        return ttl;
    }

    public void setTtl(int ttl) {
        this.ttl = ttl;
    }

    /** IP_TOS: the TOS byte of what the socket sends (0 by default). */
    public int tos() {
        return tos;
    }

    public void setTos(int tos) {
        this.tos = tos;
    }

    public int pmtudisc() {
        return pmtudisc;
    }

    public void setPmtudisc(int pmtudisc) {
        this.pmtudisc = pmtudisc;
    }

    /** inet_sk(sk)->inet_id: set at connect to a random start (IpIdents.randomInetId). */
    public void setInetId(int inetId) {
        this.inetId = inetId & 0xffff;
    }

    // ip_select_ident_segs() with inet_daddr: a datagram socket takes atomic_add_return(segs, &inet_id), TCP (under
    // the socket lock) reads inet_id and then adds segs, so a TCP socket's first ID is the start itself.
    public int nextInetId(int segs, boolean tcp) {
        int before = inetId;
        inetId = (inetId + segs) & 0xffff;
        return tcp ? before : inetId;
    }

    public boolean recverr() {
        return recverr;
    }

    public void setRecverr(boolean recverr) {
        this.recverr = recverr;
    }
}
