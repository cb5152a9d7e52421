package knetsim.node.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class Rfc1071Test {

    /** RFC 1071 section 3's example: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 once the carries are folded. */
    @Test
    void theRfcExample() {
        byte[] b = HexFormat.of().parseHex("0001f203f4f5f6f7");
        assertEquals(0xddf2, Rfc1071.fold(Rfc1071.add(0, b, 0, b.length)));
    }

    @Test
    void anOddLastByteIsPaddedWithZero() {
        byte[] b = {0x12, 0x34, 0x56};
        assertEquals(0x1234 + 0x5600, Rfc1071.fold(Rfc1071.add(0, b, 0, 3)));
    }

    @Test
    void carriesWrapAround() {
        assertEquals(0x0001, Rfc1071.fold(0x10000));
        assertEquals(0xffff, Rfc1071.fold(0x1fffe));
        assertEquals(0x0a00 + 0x0201, Rfc1071.fold(Rfc1071.addInt(0, 0x0a000201)));
    }
}
