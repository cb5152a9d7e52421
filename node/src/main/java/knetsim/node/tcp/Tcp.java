package knetsim.node.tcp;

import java.util.SplittableRandom;
import knetsim.core.engine.Counters;
import knetsim.node.inet.NetworkLayer;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.socket.Sock;

/**
 * TCP of one host (tcp_prot, inet_hashtables, the sysctls): a plain object. The socket layer calls the
 * operations below for system calls (proto_ops); the IPv4 stack hands it segments (tcp_v4_rcv), ICMP
 * errors (tcp_v4_err) and transmit completions; the Host calls {@link #timerExpired} at the deadline
 * {@link #nextDeadline} asked for (one timer queue per host). Results: >= 0 success, -errno failure
 * ({@link #WOULD_BLOCK} = nothing possible now: EAGAIN for a non-blocking call, sleep on the socket's
 * wait queue for a blocking one, woken through {@link Context#wake}).
 *
 * CONTRACT: the protocol branch implements these; the integration branch calls them.
 */
public final class Tcp {
    /** Not an errno: the call cannot progress now (the socket layer blocks the caller or returns EAGAIN). */
    public static final int WOULD_BLOCK = -11; // -EAGAIN

    /** What TCP needs from its host beyond IP output. */
    public interface Context {
        /** sk_alloc(): the socket's host-wide number (skb owner for transmit completions) for a socket accept() creates. */
        int allocateSocketId(Sock socket);

        /** __sk_free(): the socket is gone for good (closed and nothing charged any more). */
        void releaseSocketId(Sock socket);

        /** sk_data_ready / sk_write_space / sk_state_change / sk_error_report: waiters on it may proceed. */
        void wake(TcpSock socket, long now);

        /** A timer of some socket is due at {@code deadline}: call {@link #timerExpired} then. */
        void wakeAt(long deadline);

        /** dst_mtu() of the route (and path MTU exception) to {@code destination}; 0: no route. */
        int pathMtu(Ipv4Address destination, long now);
    }

    /** shutdown()'s how. */
    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;

    /** The socket options TCP takes at SOL_TCP and SOL_SOCKET (values as ints; TCP_CONGESTION by index in names()). */
    public enum Option { TCP_NODELAY, TCP_CORK, TCP_MAXSEG, SO_KEEPALIVE, SO_SNDBUF, SO_RCVBUF, SO_LINGER, SO_ERROR }

    public Tcp(NetworkLayer ip, Context context, Counters counters, SplittableRandom random, TcpSysctl sysctl) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** inet_create() for SOCK_STREAM: a closed socket with number {@code id}. */
    public TcpSock socket(int id) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** inet_bind(): 0 or -errno (EADDRINUSE, EADDRNOTAVAIL, EINVAL when already bound). */
    public int bind(TcpSock sk, Ipv4Address address, int port) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** inet_listen(): accept queue min(backlog, somaxconn). 0 or -errno. */
    public int listen(TcpSock sk, int backlog) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** inet_csk_accept(): an established child socket, or null when the accept queue is empty. */
    public TcpSock accept(TcpSock listener, long now) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /**
     * tcp_v4_connect(): sends the SYN. 0 when it was sent (the connection completes later: the socket
     * layer answers EINPROGRESS or blocks until {@link #connectResult} is known), or -errno at once.
     */
    public int connect(TcpSock sk, Ipv4Address address, int port, long now) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** After connect(): 0 once established, -errno when it failed (ECONNREFUSED, ETIMEDOUT...), WOULD_BLOCK while pending. */
    public int connectResult(TcpSock sk) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** tcp_sendmsg(): bytes copied into the send queue (may be fewer than len), WOULD_BLOCK for none, or -errno (EPIPE...). */
    public int sendmsg(TcpSock sk, byte[] data, int off, int len, long now) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** tcp_recvmsg(): bytes copied (> 0), 0 at end of stream, WOULD_BLOCK when nothing is there yet, or -errno (ECONNRESET...). */
    public int recvmsg(TcpSock sk, byte[] into, int off, int len, long now) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** tcp_shutdown() / inet_shutdown(): 0 or -errno (ENOTCONN). */
    public int shutdown(TcpSock sk, int how, long now) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** tcp_close(): FIN, or RST when unread data remains (or linger 0); the socket lives on until the protocol is done. */
    public void close(TcpSock sk, long now) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** do_tcp_setsockopt() / sock_setsockopt(): 0 or -errno. */
    public int setsockopt(TcpSock sk, Option option, int value) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** TCP_CONGESTION: 0 or -ENOENT for an unknown name. */
    public int setCongestion(TcpSock sk, String name) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** do_tcp_getsockopt() (SO_ERROR takes the pending error). */
    public long getsockopt(TcpSock sk, Option option) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** tcp_poll(): EPOLLIN/OUT/RDHUP/HUP/ERR bits (values as in sys/epoll.h). */
    public int poll(TcpSock sk) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** tcp_v4_rcv(): a segment addressed to this host (IP header checked, fragments reassembled). */
    public void rcv(Ipv4Packet packet, long now) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** tcp_v4_err(): an ICMP error quoting one of our segments ({@code quote[at]} = its TCP header). */
    public void err(byte[] quote, int at, int type, int code, int info, long now) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** tcp_wfree(): the driver freed a segment charged to socket {@code sk} (TSQ, send memory). */
    public void txFreed(TcpSock sk, int truesize, long now) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** The timers whose deadline is <= now fire (tcp_write_timer, delack, keepalive, TIME_WAIT...). */
    public void timerExpired(long now) {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** The earliest pending deadline of any socket, or SimTime.NEVER. */
    public long nextDeadline() {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** Publishes the Tcp and TcpExt counters (nstat names) into the host's counters at the end of a run. */
    public void publishCounters() {
        throw new UnsupportedOperationException("protocol branch");
    }
}
