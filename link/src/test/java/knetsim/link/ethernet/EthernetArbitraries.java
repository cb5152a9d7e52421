package knetsim.link.ethernet;

import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators shared by the Ethernet properties; their edge cases include broadcast, zero, 0x0600 and 0xffff. */
final class EthernetArbitraries {
    private EthernetArbitraries() {
    }

    static Arbitrary<MacAddress> macs() {
        return Arbitraries.longs().between(0, 0xffff_ffff_ffffL).map(MacAddress::of);
    }

    static Arbitrary<Integer> etherTypes() {
        return Arbitraries.oneOf(
                Arbitraries.of(EtherType.IPV4, EtherType.ARP, EtherType.IPV6),
                Arbitraries.integers().between(EtherType.MIN, 0xffff).filter(t -> t != EtherType.VLAN));
    }

    static Arbitrary<EthernetHeader> untaggedHeaders() {
        return Combinators.combine(macs(), macs(), etherTypes()).as(EthernetHeader::untagged);
    }

    static Arbitrary<EthernetHeader> taggedHeaders() {
        return Combinators.combine(macs(), macs(), Arbitraries.integers().between(0, 0xffff), etherTypes())
                .as(EthernetHeader::new);
    }

    static Arbitrary<EthernetHeader> headers() {
        return Arbitraries.oneOf(untaggedHeaders(), taggedHeaders());
    }

    /** The header followed by the payload, at {@code offset} in an array with {@code slack} spare bytes after. */
    static byte[] frame(EthernetHeader header, byte[] payload, int offset, int slack) {
        byte[] b = new byte[offset + header.length() + payload.length + slack];
        // Not zero, so bytes around the frame cannot pass for an emitted all-zero address.
        Arrays.fill(b, (byte) 0xa5);
        header.emit(b, offset);
        System.arraycopy(payload, 0, b, offset + header.length(), payload.length);
        return b;
    }
}
