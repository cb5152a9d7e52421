package knetsim.node.icmp;

import java.util.TreeMap;
import knetsim.core.engine.Counters;
import knetsim.link.wire.Parsed;
import knetsim.node.inet.Inet;
import knetsim.node.inet.InetProtos;
import knetsim.node.inet.NetProtocol;
import knetsim.node.inet.NetworkLayer;
import knetsim.node.inet.SkbOwner;
import knetsim.node.inet.Transport;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.skb.SkbDropReason;
import knetsim.node.socket.DatagramSock;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Sock;
import knetsim.node.socket.SocketWakeup;
import knetsim.node.socket.SyscallResult;

/**
 * ICMP over the host's IPv4 stack: icmp_rcv (echo answered, replies queued to the ping socket
 * with their identifier, errors handed to the socket that sent what they quote), icmp_send for
 * errors (never about an ICMP error, rate-limited), and ping sockets' sendmsg, counted under
 * /proc/net/snmp's Icmp names.
 */
public final class IcmpLayer {
    static final int IPPROTO_ICMP = Inet.IPPROTO_ICMP;

    private final NetworkLayer ip;
    private final Counters counters;
    private final SocketWakeup wakeup;
    private final InetProtos protos;
    private final IcmpRateLimiter limiter = new IcmpRateLimiter(IcmpRateLimiter.Parameters.linuxDefaults());
    private final IcmpMib mib;
    private final TreeMap<Integer, PingSocket> pingSockets = new TreeMap<>();
    private int nextIdent;

    public IcmpLayer(NetworkLayer ip, Counters counters, SocketWakeup wakeup, InetProtos protos) {
        this.ip = ip;
        this.counters = counters;
        this.wakeup = wakeup;
        this.protos = protos;
        this.mib = new IcmpMib(counters);
    }

    static Transport transport(IcmpMessage message) {
        return new Transport() {
            public int length() {
                return message.length();
            }

            public void emit(byte[] b, int off, Ipv4Address source, Ipv4Address destination) {
                message.emit(b, off);
            }
        };
    }

    // icmp_rcv(): answer echo requests, queue echo replies to their ping socket, errors to the sender.
    public void receive(Ipv4Packet packet, int truesize, long now) {
        mib.inMsgs.increment();
        Parsed<IcmpPacket> parsed = IcmpPacket.parse(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
        if (!parsed.isOk() || !parsed.value().checksumValid()) {
            // a bad checksum is ICMP_CSUM, counted in IcmpInCsumErrors and IcmpInErrors
            if (parsed.isOk()) mib.inCsumErrors.increment();
            mib.inErrors.increment();
            return;
        }
        // ICMPMSGIN_INC_STATS(): IcmpMsgInTypeN, and IcmpInEchos, IcmpInDestUnreachs... that /proc/net/snmp derives
        mib.in(packet.buffer()[packet.payloadOffset()] & 0xff);
        IcmpMessage message = IcmpMessage.of(parsed.value());
        if (message instanceof IcmpMessage.EchoRequest request) {
            // icmp_reply(): from the address that was pinged (ipc.addr = ip_hdr(skb)->daddr, a unicast
            // one here), not the interface the reply leaves by; the ICMP socket sends with
            // IP_PMTUDISC_DONT: no DF on replies and errors
            // the reply keeps the request's TOS (ipc.tos = ip_hdr(skb)->tos)
            if (sent(ip.output(packet.destination(), packet.source(), IPPROTO_ICMP, transport(request.reply()), Inet.DEFAULT_TTL,
                    packet.tos(), Sock.PMTUDISC_DONT, -1, now))) {
                mib.out(IcmpPacket.ICMP_ECHOREPLY);
            }
        } else if (message instanceof IcmpMessage.EchoReply reply) {
            pingRcv(packet, reply, truesize, now);
        } else if (message instanceof IcmpMessage.DestinationUnreachable u) {
            // icmp_unreach(): for "fragmentation needed" info is the next-hop MTU (ip_no_pmtu_disc 0)
            errorAbout(packet.source(), u.quote(), IcmpPacket.ICMP_DEST_UNREACH, u.code(), u.nextHopMtu(), now);
        } else if (message instanceof IcmpMessage.TimeExceeded t) {
            errorAbout(packet.source(), t.quote(), IcmpPacket.ICMP_TIME_EXCEEDED, t.code(), 0, now);
        }
    }

    // ping_rcv(): the reply goes to the ping socket whose ident it carries, ICMP header included.
    private void pingRcv(Ipv4Packet packet, IcmpMessage.EchoReply reply, int truesize, long now) {
        PingSocket socket = pingSockets.get(reply.identifier());
        if (socket == null) {
            counters.counter("drop_" + SkbDropReason.NO_SOCKET.name()).increment();
            ip.dropped(SkbDropReason.NO_SOCKET, packet);
            return;
        }
        byte[] message = new byte[reply.length()];
        reply.emit(message, 0);
        // ping_queue_rcv_skb() -> sock_queue_rcv_skb(): refused once sk_rmem_alloc >= sk_rcvbuf
        if (!socket.enqueue(new DatagramSock.Datagram(packet.source(), 0, message, packet.ttl(), truesize, now))) {
            counters.counter("drop_" + SkbDropReason.SOCKET_RCVBUFF.name()).increment();
            ip.dropped(SkbDropReason.SOCKET_RCVBUFF, packet);
            return;
        }
        wakeup.wake(socket, now);
    }

    // icmp_unreach() -> the err_handler of the quoted datagram's protocol (ping_err, udp_err).
    private void errorAbout(Ipv4Address from, byte[] quote, int type, int code, int info, long now) {
        // A quote is a truncated datagram: read its header fields, it need not parse whole.
        if (quote.length < Ipv4Packet.HEADER_LEN) return;
        int at = (quote[0] & 0x0f) * 4;
        if (quote.length < at + 8) return;
        NetProtocol handler = protos.get(quote[9] & 0xff);
        if (handler != null) handler.errHandler(quote, at, type, code, info, from, now);
    }

    // ping_err(): an error about one of our echo requests goes to the ping socket of its identifier.
    public void pingErr(byte[] quote, int at, int type, int code, int info, Ipv4Address from, long now) {
        if ((quote[at] & 0xff) != IcmpPacket.ICMP_ECHO) return;
        int identifier = ((quote[at + 4] & 0xff) << 8) | (quote[at + 5] & 0xff);
        PingSocket socket = pingSockets.get(identifier);
        if (socket != null) deliverError(socket, false, quote, at, type, code, info, from, now);
    }

    /**
     * __udp4_lib_err()/ping_err(): without IP_RECVERR only a hard error on a connected socket is
     * reported, as sk_err; with it every error is queued for MSG_ERRQUEUE and sets sk_err.
     */
    public void deliverError(Sock socket, boolean connected, byte[] quote, int transportOffset, int type, int code,
                             int info, Ipv4Address from, long now) {
        IcmpErrors error = IcmpErrors.of(type, code);
        if (type == IcmpPacket.ICMP_DEST_UNREACH && code == IcmpPacket.ICMP_FRAG_NEEDED) {
            // ipv4_sk_update_pmtu(): the path to the quoted destination learns the MTU, whatever the
            // socket's mode; then a fatal EMSGSIZE, or nothing at all with IP_PMTUDISC_DONT
            ip.updatePmtu(Ipv4Address.read(quote, 16), info, now);
            if (socket.pmtudisc() == Sock.PMTUDISC_DONT) return;
            error = new IcmpErrors(Errno.EMSGSIZE, true);
        }
        if (!socket.recverr()) {
            if (!error.hard() || !connected) return;
        } else {
            byte[] original = java.util.Arrays.copyOfRange(quote, transportOffset, quote.length);
            socket.queueError(new SyscallResult.ErrorReceived(error.errno(), type, code, from, original, info));
        }
        socket.setPendingError(error.errno());
        wakeup.wake(socket, now);
    }

    // icmp_send(): only about fragment 0, never about an ICMP error, rate-limited. About a datagram addressed to
    // us it comes from that address (saddr = iph->daddr for RTCF_LOCAL); about one we forward, from the interface
    // the error leaves by (icmp_errors_use_inbound_ifaddr 0); about one of our own (ipv4_link_failure() after
    // NEIGH_FAILED), to ourselves through lo, from the local route's source.
    public void send(IcmpMessage error, Ipv4Packet offending, long now) {
        if (offending.fragmentOffset() != 0) return;
        if (offending.protocol() == IPPROTO_ICMP && isIcmpError(offending)) return;
        // the error's route goes out by lo when it is for one of our addresses; the offending packet came in on lo
        // when it went from one of our addresses to another
        boolean toLoopback = ip.isLocal(offending.source());
        boolean allowed = toLoopback
                ? limiter.allowToLoopback(error.type(), error.code(), ip.isLocal(offending.destination()), now)
                : limiter.allow(error.type(), error.code(), offending.source(), now);
        if (!allowed) return;
        // errors go with IPTOS_PREC_INTERNETCONTROL and the offending datagram's TOS bits (RT_TOS)
        int tos = (offending.tos() & 0x1e) | 0xc0;
        Ipv4Address source = ip.isLocal(offending.destination()) ? offending.destination() : null;
        if (sent(ip.output(source, offending.source(), IPPROTO_ICMP, transport(error), Inet.DEFAULT_TTL, tos,
                Sock.PMTUDISC_DONT, -1, now))) {
            mib.out(error.type());
        }
    }

    private static boolean isIcmpError(Ipv4Packet packet) {
        if (packet.fragmentOffset() != 0 || packet.payloadLength() < 1) return false;
        int type = packet.buffer()[packet.payloadOffset()] & 0xff;
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    public PingSocket openPingSocket(int id) {
        return new PingSocket(id);
    }

    // ping_get_port(): ident 0 takes the next free one, counting up from 1.
    public int bind(PingSocket socket, int ident) {
        if (socket.ident() != 0) return Errno.EINVAL;
        if (ident == 0) {
            for (int i = 0; i < 65535 && ident == 0; i++) {
                nextIdent = (nextIdent % 65535) + 1;
                if (!pingSockets.containsKey(nextIdent)) ident = nextIdent;
            }
            if (ident == 0) return Errno.EAGAIN;
        } else if (pingSockets.containsKey(ident)) {
            return Errno.EADDRINUSE;
        }
        socket.bindIdent(ident);
        pingSockets.put(ident, socket);
        return 0;
    }

    public void close(PingSocket socket) {
        if (socket.ident() != 0) pingSockets.remove(socket.ident(), socket);
    }

    /**
     * ping_v4_sendmsg(): {@code userMessage} must start with an echo request header; the kernel
     * sets the identifier to the socket's ident and computes the checksum. IP_PMTUDISC_DO makes a
     * request larger than the MTU fail with EMSGSIZE; otherwise DF is set when it fits. 0, the errno, or Inet.WOULD_BLOCK.
     */
    public int sendEcho(PingSocket socket, Ipv4Address destination, byte[] userMessage, long now) {
        if (userMessage.length < IcmpPacket.HEADER_LEN || (userMessage[0] & 0xff) != IcmpPacket.ICMP_ECHO
                || userMessage[1] != 0) {
            return Errno.EINVAL;
        }
        if (socket.ident() == 0) {
            int errno = bind(socket, 0);
            if (errno != 0) return errno;
        }
        int sequence = ((userMessage[6] & 0xff) << 8) | (userMessage[7] & 0xff);
        byte[] data = java.util.Arrays.copyOfRange(userMessage, IcmpPacket.HEADER_LEN, userMessage.length);
        var request = new IcmpMessage.EchoRequest(socket.ident(), sequence, data);
        int errno = ip.output(null, destination, IPPROTO_ICMP, transport(request), socket.ttl(), socket.tos(), socket.pmtudisc(),
                SkbOwner.of(socket), now);
        if (sent(errno)) mib.out(IcmpPacket.ICMP_ECHO); // ping_v4_push_pending_frames() -> icmp_out_count()
        return errno;
    }

    // icmp_out_count() runs before the packet meets netfilter: a filtered one (EPERM) was still sent by ICMP
    private static boolean sent(int errno) {
        return errno == 0 || errno == Errno.EPERM;
    }

    /** The rate limiter's counters, at the end of a run. */
    public void publishCounters() {
        counters.counter("IcmpOutRateLimitGlobal").add(limiter.rateLimitGlobal());
        counters.counter("IcmpOutRateLimitHost").add(limiter.rateLimitHost());
    }
}
