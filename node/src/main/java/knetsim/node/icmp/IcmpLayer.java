package knetsim.node.icmp;

import knetsim.core.engine.Counters;
import knetsim.link.wire.Parsed;
import knetsim.node.InetStack;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;

/**
 * ICMP over the host's IPv4 stack: icmp_rcv (echo answered, replies and errors about our echo
 * requests handed to the pinger), icmp_send for errors (never about an ICMP error, rate-limited),
 * and ping's echo requests, counted under /proc/net/snmp's Icmp names.
 */
public final class IcmpLayer {
    /** What ping learns: replies, and errors that quote one of its requests. */
    public interface Pinger {
        void echoReply(Ipv4Address from, int identifier, int sequence, long now);

        void echoError(Ipv4Address from, int identifier, int sequence, int type, int code, long now);
    }

    static final int IPPROTO_ICMP = 1;

    private final InetStack.NetworkLayer ip;
    private final Counters counters;
    private final Pinger pinger;
    private final IcmpRateLimiter limiter = new IcmpRateLimiter(IcmpRateLimiter.Parameters.linuxDefaults());

    public IcmpLayer(InetStack.NetworkLayer ip, Counters counters, Pinger pinger) {
        this.ip = ip;
        this.counters = counters;
        this.pinger = pinger;
    }

    static InetStack.Transport transport(IcmpMessage message) {
        return new InetStack.Transport() {
            public int length() {
                return message.length();
            }

            public void emit(byte[] b, int off, Ipv4Address source, Ipv4Address destination) {
                message.emit(b, off);
            }
        };
    }

    // icmp_rcv(): answer echo requests, hand echo replies and errors about our echoes to the pinger.
    public void receive(Ipv4Packet packet, long now) {
        counters.counter("IcmpInMsgs").increment();
        Parsed<IcmpPacket> parsed = IcmpPacket.parse(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
        if (!parsed.isOk() || !parsed.value().checksumValid()) {
            // a bad checksum is ICMP_CSUM, counted in IcmpInCsumErrors and IcmpInErrors
            if (parsed.isOk()) counters.counter("IcmpInCsumErrors").increment();
            counters.counter("IcmpInErrors").increment();
            return;
        }
        IcmpMessage message = IcmpMessage.of(parsed.value());
        if (message instanceof IcmpMessage.EchoRequest request) {
            counters.counter("IcmpInEchos").increment();
            // the ICMP socket sends with IP_PMTUDISC_DONT: no DF on replies and errors
            if (ip.output(packet.source(), IPPROTO_ICMP, transport(request.reply()), InetStack.DEFAULT_TTL, false, false,
                    now) == 0) {
                counters.counter("IcmpOutEchoReps").increment();
            }
        } else if (message instanceof IcmpMessage.EchoReply reply) {
            counters.counter("IcmpInEchoReps").increment();
            pinger.echoReply(packet.source(), reply.identifier(), reply.sequence(), now);
        } else if (message instanceof IcmpMessage.DestinationUnreachable u) {
            counters.counter("IcmpInDestUnreachs").increment();
            quotedEcho(packet.source(), u.quote(), IcmpPacket.ICMP_DEST_UNREACH, u.code(), now);
        } else if (message instanceof IcmpMessage.TimeExceeded t) {
            counters.counter("IcmpInTimeExcds").increment();
            quotedEcho(packet.source(), t.quote(), IcmpPacket.ICMP_TIME_EXCEEDED, t.code(), now);
        }
    }

    // icmp_err() for the ping socket: the quote names the echo request the error is about.
    private void quotedEcho(Ipv4Address from, byte[] quote, int type, int code, long now) {
        // A quote is a truncated datagram: read its header fields, it need not parse whole.
        if (quote.length < Ipv4Packet.HEADER_LEN || (quote[9] & 0xff) != IPPROTO_ICMP) return;
        int at = (quote[0] & 0x0f) * 4;
        if (quote.length < at + 8 || (quote[at] & 0xff) != IcmpPacket.ICMP_ECHO) return;
        int identifier = ((quote[at + 4] & 0xff) << 8) | (quote[at + 5] & 0xff);
        int sequence = ((quote[at + 6] & 0xff) << 8) | (quote[at + 7] & 0xff);
        pinger.echoError(from, identifier, sequence, type, code, now);
    }

    // icmp_send(): never about an ICMP error, rate-limited, from the address of the interface the
    // error leaves by (icmp_errors_use_inbound_ifaddr 0).
    public void send(IcmpMessage error, Ipv4Packet offending, long now) {
        if (offending.protocol() == IPPROTO_ICMP && isIcmpError(offending)) return;
        if (!limiter.allow(error.type(), error.code(), offending.source(), now)) return;
        if (ip.output(offending.source(), IPPROTO_ICMP, transport(error), InetStack.DEFAULT_TTL, false, false, now) == 0) {
            counters.counter(error.type() == IcmpPacket.ICMP_TIME_EXCEEDED ? "IcmpOutTimeExcds" : "IcmpOutDestUnreachs")
                    .increment();
        }
    }

    private static boolean isIcmpError(Ipv4Packet packet) {
        if (packet.fragmentOffset() != 0 || packet.payloadLength() < 1) return false;
        int type = packet.buffer()[packet.payloadOffset()] & 0xff;
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    /**
     * An error about our own packet goes back to its socket through lo; without a loopback device
     * it is handed over directly and counted on both sides, as the trip through lo would count it.
     */
    public void localError(byte[] ownPacket, int type, int code, long now) {
        counters.counter("IcmpOutDestUnreachs").increment();
        counters.counter("IcmpInDestUnreachs").increment();
        quotedEcho(Ipv4Address.read(ownPacket, 12), ownPacket, type, code, now);
    }

    /**
     * What ping's sendto() does: an ICMP echo request. With {@code dontFragment} (ping -M do) a
     * request larger than the MTU fails with EMSGSIZE; otherwise (-M want) DF is set when it fits
     * and a larger one is fragmented. Returns 0 or the errno.
     */
    public int ping(Ipv4Address destination, int identifier, int sequence, int dataLength, int ttl,
                    boolean dontFragment, long now) {
        var request = new IcmpMessage.EchoRequest(identifier, sequence, new byte[dataLength]);
        int errno = ip.output(destination, IPPROTO_ICMP, transport(request), ttl, true, dontFragment, now);
        if (errno == 0) counters.counter("IcmpOutEchos").increment();
        return errno;
    }

    /** The rate limiter's counters, at the end of a run. */
    public void publishCounters() {
        counters.counter("IcmpOutRateLimitGlobal").add(limiter.rateLimitGlobal());
        counters.counter("IcmpOutRateLimitHost").add(limiter.rateLimitHost());
    }
}
