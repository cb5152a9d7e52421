package knetsim.node.ipv4;

import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators shared by the IPv4 properties; their edge cases include no options, 40 bytes of them, TTL 0 and 255. */
final class Ipv4Arbitraries {
    private Ipv4Arbitraries() {
    }

    static Arbitrary<Ipv4Address> addresses() {
        return Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE).map(Ipv4Address::of);
    }

    static Arbitrary<byte[]> options() {
        return Arbitraries.integers().between(0, 10)
                .flatMap(words -> Arbitraries.bytes().array(byte[].class).ofSize(4 * words));
    }

    static Arbitrary<Integer> flags() {
        return Arbitraries.integers().between(0, 7).map(bits -> bits << 13);
    }

    /** Any header Ipv4Header accepts, with a payload length up to 1600 bytes. */
    static Arbitrary<Ipv4Header> headers() {
        Arbitrary<Integer> bytes = Arbitraries.integers().between(0, 0xff);
        Arbitrary<Integer> shorts = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<Ipv4Header> withoutOptions = Combinators.combine(bytes, shorts, flags(),
                        Arbitraries.integers().between(0, Ipv4Packet.IP_OFFSET), bytes, bytes, addresses(),
                        addresses())
                .as((tos, id, flags, fragmentOffset, ttl, protocol, source, destination) -> new Ipv4Header(tos, id,
                        flags, fragmentOffset, ttl, protocol, source, destination, new byte[0], 0));
        return Combinators.combine(withoutOptions, options(), Arbitraries.integers().between(0, 1600))
                .as(Ipv4Arbitraries::with);
    }

    static Ipv4Header with(Ipv4Header h, byte[] options, int payloadLength) {
        return new Ipv4Header(h.tos(), h.identification(), h.flags(), h.fragmentOffset(), h.ttl(), h.protocol(),
                h.source(), h.destination(), options, payloadLength);
    }

    static Ipv4Header withTtl(Ipv4Header h, int ttl) {
        return new Ipv4Header(h.tos(), h.identification(), h.flags(), h.fragmentOffset(), ttl, h.protocol(),
                h.source(), h.destination(), h.options(), h.payloadLength());
    }

    /** Payload bytes that are a function of the seed, so a shrunk sample shows the same payload again. */
    static byte[] payload(int length, long seed) {
        byte[] payload = new byte[length];
        new java.util.SplittableRandom(seed).nextBytes(payload);
        return payload;
    }

    /** The header followed by the payload, at {@code offset} in an array with {@code slack} bytes after it. */
    static byte[] packet(Ipv4Header header, byte[] payload, int offset, int slack) {
        byte[] b = new byte[offset + header.length() + payload.length + slack];
        // Not zero, so bytes around the packet cannot pass for emitted zeros.
        Arrays.fill(b, (byte) 0xa5);
        header.emit(b, offset);
        System.arraycopy(payload, 0, b, offset + header.length(), payload.length);
        return b;
    }
}
