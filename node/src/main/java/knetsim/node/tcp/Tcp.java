package knetsim.node.tcp;

import java.util.SplittableRandom;
import knetsim.core.engine.Counters;
import knetsim.node.inet.Inet;
import knetsim.node.inet.NetworkLayer;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.socket.Sock;

/**
 * TCP of one host (tcp_prot, tcp.c's system calls, inet_hashtables, the sysctls): a plain object. The socket
 * layer calls the operations below for system calls (proto_ops); the IPv4 stack hands it segments
 * (tcp_v4_rcv), ICMP errors (tcp_v4_err) and transmit completions; the Host calls {@link #timerExpired} at the
 * deadline {@link #nextDeadline} asked for (one timer queue per host). Results: >= 0 success, -errno failure
 * ({@link #WOULD_BLOCK} = nothing possible now: EAGAIN for a non-blocking call, sleep on the socket's wait
 * queue for a blocking one, woken through {@link Context#wake}). The protocol itself lives in TcpIpv4,
 * TcpInput, TcpRcvWindow, TcpAck, TcpFastRetrans, TcpRecovery, TcpOutput, TcpTransmit, TcpTimers,
 * TcpMinisocks and TcpSockopt; {@link TcpProto} holds what they share.
 */
public final class Tcp extends TcpProto {
    /** Not an errno: the call cannot progress now (the socket layer blocks the caller or returns EAGAIN). */
    public static final int WOULD_BLOCK = -11; // -EAGAIN

    /** What TCP needs from its host beyond IP output. */
    public interface Context {
        /** sk_alloc() for a socket the protocol creates itself (the child of a listener): the host's next socket number. */
        int allocateSocketId();

        /** The socket numbered by {@link #allocateSocketId} now exists (the host files it: transmit-completion owner, lookups). */
        void socketCreated(TcpSock socket);

        /** __sk_free(): the socket is gone for good (closed and nothing charged any more). */
        void releaseSocketId(Sock socket);

        /** sk_data_ready / sk_write_space / sk_state_change / sk_error_report: waiters on it may proceed. */
        void wake(TcpSock socket, long now);

        /** A timer of some socket is due at {@code deadline}: call {@link #timerExpired} then. */
        void wakeAt(long deadline);

        /** dst_mtu() of the route (and path MTU exception) to {@code destination}; 0: no route. */
        int pathMtu(Ipv4Address destination, long now);

        /**
         * Whether the route to {@code destination} leaves through fq with pacing on, which takes over the socket's
         * pacing (fq_classify() sets sk_pacing_status = SK_PACING_FQ).
         */
        default boolean fqPaces(Ipv4Address destination) {
            return false;
        }
    }

    /** shutdown()'s how. */
    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    /** sys/epoll.h. */
    public static final int EPOLLIN = 0x1, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10, EPOLLRDNORM = 0x40,
            EPOLLWRNORM = 0x100, EPOLLRDHUP = 0x2000;

    /** The socket options TCP takes at SOL_TCP and SOL_SOCKET (values as ints; TCP_CONGESTION by index in names()). */
    public enum Option { TCP_NODELAY, TCP_CORK, TCP_MAXSEG, SO_KEEPALIVE, SO_SNDBUF, SO_RCVBUF, SO_LINGER, SO_ERROR }

    private final TcpSockopt sockopt = new TcpSockopt(this);

    public Tcp(NetworkLayer ip, Context context, Counters counters, SplittableRandom random, TcpSysctl sysctl) {
        super(ip, context, counters, random, sysctl);
    }

    /** inet_create() for SOCK_STREAM: a closed socket with number {@code id}. */
    public TcpSock socket(int id) {
        return newSock(id);
    }

    /** inet_bind(): 0 or -errno (EADDRINUSE, EADDRNOTAVAIL, EINVAL when already bound). */
    public int bind(TcpSock sk, Ipv4Address address, int port) {
        if (sk.bound || sk.state != TcpState.CLOSE) return -EINVAL;
        if (!address.equals(Ipv4Address.ANY) && !ip.bindable(address)) return -EADDRNOTAVAIL;
        if (port == 0) return hash.bindEphemeral(sk, address) < 0 ? -EADDRINUSE : 0;
        return hash.bind(sk, address, port) ? 0 : -EADDRINUSE;
    }

    /** inet_listen(): accept queue min(backlog, somaxconn). 0 or -errno. */
    public int listen(TcpSock sk, int backlog) {
        if (sk.state != TcpState.CLOSE && sk.state != TcpState.LISTEN) return -EINVAL;
        sk.backlog = Math.max(0, Math.min(backlog, sysctl.somaxconn()));
        if (sk.state == TcpState.LISTEN) return 0;
        if (!sk.bound && hash.bindEphemeral(sk, Ipv4Address.ANY) < 0) return -EADDRINUSE;
        sk.state = TcpState.LISTEN;
        hash.hashListener(sk);
        return 0;
    }

    /** inet_csk_accept(): an established child socket, or null when the accept queue is empty. */
    public TcpSock accept(TcpSock listener, long now) {
        TcpSock child = listener.acceptQueue.poll();
        if (child != null) child.parent = null;
        return child;
    }

    /**
     * tcp_v4_connect(): sends the SYN. 0 when it was sent (the connection completes later: the socket layer
     * answers EINPROGRESS or blocks until {@link #connectResult} is known), or -errno at once.
     */
    public int connect(TcpSock sk, Ipv4Address address, int port, long now) {
        switch (sk.state) {
            case SYN_SENT -> {
                return -EALREADY;
            }
            case CLOSE -> {}
            case LISTEN -> {
                return -EINVAL;
            }
            default -> {
                return -EISCONN;
            }
        }
        if (port == 0) return -ECONNREFUSED;
        sk.connectError = 0;
        int r = ipv4.connect(sk, address, port, now);
        finish(sk);
        return r;
    }

    /** After connect(): 0 once established, -errno when it failed (ECONNREFUSED, ETIMEDOUT...), WOULD_BLOCK while pending. */
    public int connectResult(TcpSock sk) {
        return switch (sk.state) {
            case SYN_SENT, SYN_RECV -> WOULD_BLOCK;
            case CLOSE -> sk.connectError != 0 ? -sk.connectError : (sk.everConnected ? 0 : -ENOTCONN);
            default -> 0;
        };
    }

    /** tcp_sendmsg(): bytes copied into the send queue (may be fewer than len), WOULD_BLOCK for none, or -errno (EPIPE...). */
    public int sendmsg(TcpSock sk, byte[] data, int off, int len, long now) {
        if (sk.state != TcpState.ESTABLISHED && sk.state != TcpState.CLOSE_WAIT) {
            if (sk.hasPendingError()) return -sk.takePendingError(); // sk_stream_wait_connect()
            if (sk.state == TcpState.SYN_SENT || sk.state == TcpState.SYN_RECV) return WOULD_BLOCK;
            return sk.everConnected || sk.shutWr ? -EPIPE : -ENOTCONN;
        }
        if (sk.hasPendingError()) return -sk.takePendingError();
        if (sk.shutWr) return -EPIPE;
        sk.rate.checkAppLimited(sk.writeSeq, sk.sndNxt, sk.mssCache,
                sk.tsqBytes < knetsim.node.inet.Inet.truesizeOfPacket(1), sk.inFlight(), sk.cong.sndCwnd, sk.lostOut, sk.retransOut);
        int sizeGoal = sk.mssCache;
        int copied = 0;
        while (copied < len) {
            TcpSkb tail = sk.writeQueue.peekLast();
            if (tail == null || tail.len >= sizeGoal || tail.data.length == tail.len || (tail.tcpFlags & TcpHeader.FIN) != 0) {
                if (sk.wmemQueued >= sk.sndbuf()) break; // sk_stream_memory_free()
                tail = new TcpSkb(sk.writeSeq, 0, sizeGoal);
                sk.writeQueue.add(tail);
                sk.wmemQueued += skbTruesize(tail);
            }
            int n = tail.append(data, off + copied, Math.min(len - copied, sizeGoal - tail.len));
            sk.writeSeq += n;
            copied += n;
            // tcp_push_one(): a segment just filled that is the send head leaves now, before the tail (and autocork)
            if (tail.len >= sizeGoal && tail == sk.writeQueue.peekFirst()) {
                out.pushPendingFrames(sk, TcpOutput.nonagle(sk), now);
            }
        }
        if (copied < len) sk.nospace = true;
        if (copied == 0) {
            out.pushPendingFrames(sk, TcpOutput.NAGLE_PUSH | TcpOutput.nonagle(sk), now);
            finish(sk);
            return WOULD_BLOCK;
        }
        push(sk, sizeGoal, now);
        finish(sk);
        return copied;
    }

    // tcp_push(): autocorking holds a small tail while earlier data still waits in the host queues.
    private void push(TcpSock sk, int sizeGoal, long now) {
        TcpSkb tail = sk.writeQueue.peekLast();
        if (tail == null) return;
        // tcp_should_autocork(): sk_wmem_alloc (a bias of 1 plus what the qdisc and driver hold) > skb->truesize
        if (sysctl.autocorking() && tail.len < sizeGoal && !sk.rtxQueue.isEmpty()
                && sk.tsqBytes + 1 > Inet.truesizeOfPacket(tail.len + 52)) {
            if (!sk.tsqThrottled) inc(TcpMib.TCP_AUTOCORKING);
            sk.tsqThrottled = true;
            return;
        }
        out.pushPendingFrames(sk, TcpOutput.nonagle(sk), now);
    }

    /** tcp_recvmsg(): bytes copied (> 0), 0 at end of stream, WOULD_BLOCK when nothing is there yet, or -errno (ECONNRESET...). */
    public int recvmsg(TcpSock sk, byte[] into, int off, int len, long now) {
        if (sk.state == TcpState.LISTEN) return -ENOTCONN;
        int copied = 0;
        while (copied < len && !sk.receiveQueue.isEmpty()) {
            byte[] head = sk.receiveQueue.peek();
            int n = Math.min(len - copied, head.length - sk.receiveHeadOffset);
            System.arraycopy(head, sk.receiveHeadOffset, into, off + copied, n);
            copied += n;
            sk.receiveHeadOffset += n;
            if (sk.receiveHeadOffset == head.length) {
                sk.receiveQueue.poll();
                sk.rmemAllocBytes -= sk.rcvTruesizes.poll();
                sk.receiveHeadOffset = 0;
            }
        }
        if (copied > 0) {
            sk.rcvQueued -= copied;
            sk.copiedSeq += copied;
            rwin.afterRead(sk, copied, now);
            finish(sk);
            return copied;
        }
        if (sk.finReceived) return 0;
        if (sk.hasPendingError()) return -sk.takePendingError();
        if (sk.shutRd) return 0;
        if (sk.state == TcpState.CLOSE) return sk.everConnected ? 0 : -ENOTCONN;
        return WOULD_BLOCK;
    }

    /** tcp_shutdown() / inet_shutdown(): 0 or -errno (ENOTCONN). */
    public int shutdown(TcpSock sk, int how, long now) {
        if (how < SHUT_RD || how > SHUT_RDWR) return -EINVAL;
        int mask = how + 1; // RCV_SHUTDOWN 1, SEND_SHUTDOWN 2
        switch (sk.state) {
            case CLOSE -> {
                return -ENOTCONN;
            }
            case LISTEN -> {
                if ((mask & 1) != 0) mini.listenStop(sk, now);
                wake(sk, now);
                finish(sk);
                return 0;
            }
            case SYN_SENT -> {
                done(sk, now);
                finish(sk);
                return 0;
            }
            default -> {}
        }
        if ((mask & 1) != 0) sk.shutRd = true;
        if ((mask & 2) != 0 && !sk.shutWr) {
            sk.shutWr = true;
            if (closeState(sk)) out.sendFin(sk, now);
        }
        wake(sk, now);
        finish(sk);
        return 0;
    }

    // tcp_close_state(): ESTABLISHED/SYN_RECV -> FIN_WAIT1, CLOSE_WAIT -> LAST_ACK; true when a FIN is to be sent.
    private boolean closeState(TcpSock sk) {
        TcpState next = switch (sk.state) {
            case ESTABLISHED, SYN_RECV -> TcpState.FIN_WAIT1;
            case CLOSE_WAIT -> TcpState.LAST_ACK;
            default -> null;
        };
        if (next == null) return false;
        setState(sk, next);
        return !sk.finQueued;
    }

    /** tcp_close(): FIN, or RST when unread data remains (or linger 0); the socket lives on until the protocol is done. */
    public void close(TcpSock sk, long now) {
        if (sk.dead) return;
        sk.shutRd = true;
        sk.shutWr = true;
        if (sk.state == TcpState.LISTEN) {
            mini.listenStop(sk, now);
            sk.dead = true;
            release(sk);
            finish(sk);
            return;
        }
        boolean unread = sk.rcvQueued > 0;
        sk.receiveQueue.clear();
        sk.rcvTruesizes.clear();
        sk.rcvQueued = 0;
        sk.receiveHeadOffset = 0;
        sk.dead = true;
        if (sk.state == TcpState.CLOSE) {
            release(sk);
        } else if (unread) {
            inc(TcpMib.TCP_ABORT_ON_CLOSE);
            setState(sk, TcpState.CLOSE);
            out.sendActiveReset(sk, now);
            done(sk, now);
        } else if (sk.lingerSec == 0) {
            inc(TcpMib.TCP_ABORT_ON_LINGER);
            if (sk.state != TcpState.SYN_SENT) out.sendActiveReset(sk, now);
            done(sk, now);
        } else if (sk.state == TcpState.SYN_SENT) {
            done(sk, now);
        } else if (closeState(sk)) {
            out.sendFin(sk, now);
        }
        if (sk.state == TcpState.FIN_WAIT2) sk.keepaliveDeadline = now + sysctl.finTimeoutNs();
        finish(sk);
    }

    /** do_tcp_setsockopt() / sock_setsockopt(): 0 or -errno. */
    public int setsockopt(TcpSock sk, Option option, int value, long now) {
        return sockopt.set(sk, option, value, now);
    }

    /** TCP_CONGESTION: 0 or -ENOENT for an unknown name. */
    public int setCongestion(TcpSock sk, String name) {
        return switchCongestion(sk, name) ? 0 : -ENOENT;
    }

    // do_ip_getsockopt(IP_MTU): dst_mtu() of the socket's route once it has a peer; 0 (ENOTCONN) before or after
    public int dstMtu(TcpSock sk, long now) {
        if (sk.daddr.equals(Ipv4Address.ANY) || sk.state == TcpState.LISTEN || sk.state == TcpState.CLOSE) return 0;
        return context.pathMtu(sk.daddr, now);
    }

    /** do_tcp_getsockopt() (SO_ERROR takes the pending error). */
    public long getsockopt(TcpSock sk, Option option) {
        return TcpSockopt.get(sk, option);
    }

    /** tcp_poll(): EPOLLIN/OUT/RDHUP/HUP/ERR bits (values as in sys/epoll.h). */
    public int poll(TcpSock sk) {
        if (sk.state == TcpState.LISTEN) return sk.acceptQueue.isEmpty() ? 0 : EPOLLIN | EPOLLRDNORM;
        int mask = 0;
        boolean rcvShut = sk.finReceived || sk.shutRd || sk.state == TcpState.CLOSE && sk.everConnected;
        if ((rcvShut && sk.shutWr) || sk.state == TcpState.CLOSE) mask |= EPOLLHUP;
        if (rcvShut) mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
        if (sk.state != TcpState.SYN_SENT && sk.state != TcpState.SYN_RECV) {
            if (sk.rcvQueued > 0) mask |= EPOLLIN | EPOLLRDNORM;
            if (sk.shutWr || sk.writeSpace()) mask |= EPOLLOUT | EPOLLWRNORM;
        }
        if (sk.hasPendingError() || sk.hasQueuedError()) mask |= EPOLLERR;
        return mask;
    }

    /** tcp_v4_rcv(): a segment addressed to this host (IP header checked, fragments reassembled). */
    public void rcv(Ipv4Packet packet, long now) {
        rcv(packet, Inet.rxTruesize(packet.totalLength()), now);
    }

    /** tcp_v4_rcv() of a segment that came in an skb of {@code truesize} (the driver's, or lo's: the sender's). */
    public void rcv(Ipv4Packet packet, int truesize, long now) {
        ipv4.rcv(packet, truesize, now);
        finish(null);
    }

    /** tcp_v4_err(): an ICMP error quoting one of our segments ({@code quote[at]} = its TCP header). */
    public void err(byte[] quote, int at, int type, int code, int info, long now) {
        ipv4.err(quote, at, type, code, info, now);
        finish(null);
    }

    /** tcp_wfree(): the driver freed a segment charged to socket {@code sk} (TSQ, send memory). */
    public void txFreed(TcpSock sk, int truesize, long now) {
        sk.tsqBytes = Math.max(0, sk.tsqBytes - truesize);
        if (!sk.tsqThrottled || sk.released) return;
        sk.tsqThrottled = false;
        pacing.tsqWrite(sk, now); // tcp_tsq_handler()
        finish(sk);
    }

    /** The timers whose deadline is <= now fire (tcp_write_timer, delack, keepalive, TIME_WAIT...). */
    public void timerExpired(long now) {
        timers.run(now);
        finish(null);
    }

    /** The earliest pending deadline of any socket, or SimTime.NEVER. */
    public long nextDeadline() {
        return timers.nextDeadline();
    }

    /** Publishes the Tcp and TcpExt counters (nstat names) into the host's counters at the end of a run. */
    public void publishCounters() {
        TcpMib.publish(mib, counters);
    }

    /** A counter's value now (nstat), for tests and the integration's summaries. */
    public long mib(TcpMib m) {
        return mib[m.ordinal()];
    }

}
