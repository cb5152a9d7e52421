package knetsim.node.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import knetsim.link.wire.Parsed;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class UdpDatagramTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int SOURCE_IP = 0x0a000201;      // 10.0.2.1
    private static final int DESTINATION_IP = 0x0a000202; // 10.0.2.2

    /**
     * 10.0.2.1:40000 to 10.0.2.2:9 carrying "knetsim". The checksum 0x9a37 is Wireshark 4.0.17's: the datagram was
     * written with a wrong checksum into a pcap (text2pcap) and {@code tshark -o udp.check_checksum:TRUE -V} said
     * "incorrect, should be 0x9a37".
     */
    private static final String KNETSIM = "9c400009000f" + "9a37" + "6b6e657473696d";

    @Test
    void checksumOfAFixedDatagramIsWiresharks() {
        byte[] b = new byte[15];
        byte[] payload = "knetsim".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(payload, 0, b, 8, payload.length);
        UdpHeader written = UdpHeader.forPayload(40000, 9, payload.length)
                .emitChecksummed(b, 0, SOURCE_IP, DESTINATION_IP);
        assertEquals(0x9a37, written.checksum());
        assertArrayEquals(HEX.parseHex(KNETSIM), b);
    }

    @Test
    void aFixedDatagramParsesFieldByFieldAndItsChecksumIsValidOnlyForItsAddresses() {
        byte[] b = HEX.parseHex(KNETSIM);
        UdpDatagram datagram = UdpDatagram.parse(b, 0, b.length).value();
        assertEquals(40000, datagram.sourcePort());
        assertEquals(9, datagram.destinationPort());
        assertEquals(15, datagram.datagramLength());
        assertEquals(0x9a37, datagram.checksum());
        assertEquals(8, datagram.payloadOffset());
        assertEquals(7, datagram.payloadLength());
        assertTrue(datagram.checksumValid(SOURCE_IP, DESTINATION_IP));
        assertFalse(datagram.checksumValid(SOURCE_IP, 0x0a000203));
        assertFalse(datagram.checksumValid(DESTINATION_IP + 1, DESTINATION_IP));
        assertEquals("UDP 40000 > 9, length 7, checksum 0x9a37", datagram.toString());
    }

    @Test
    void aFlippedBitIsCaught() {
        byte[] b = HEX.parseHex(KNETSIM);
        b[10] ^= 0x04;
        assertFalse(UdpDatagram.parse(b, 0, b.length).value().checksumValid(SOURCE_IP, DESTINATION_IP));
    }

    /**
     * The payload 0x4b8e makes the sum all ones, so the computed checksum is 0 and goes out as 0xffff;
     * tshark calls 0xffff "correct" for this datagram too.
     */
    @Test
    void aComputedZeroIsSentAsAllOnes() {
        byte[] b = new byte[10];
        b[8] = 0x4b;
        b[9] = (byte) 0x8e;
        UdpHeader written = UdpHeader.forPayload(40000, 9, 2).emitChecksummed(b, 0, SOURCE_IP, DESTINATION_IP);
        assertEquals(0xffff, written.checksum());
        assertArrayEquals(HEX.parseHex("9c400009000a" + "ffff" + "4b8e"), b);
        assertTrue(UdpDatagram.parse(b, 0, b.length).value().checksumValid(SOURCE_IP, DESTINATION_IP));
    }

    @Test
    void aReceivedZeroMeansNoChecksumAndIsAccepted() {
        byte[] b = HEX.parseHex(KNETSIM);
        b[6] = 0;
        b[7] = 0;
        UdpDatagram datagram = UdpDatagram.parse(b, 0, b.length).value();
        assertEquals(0, datagram.checksum());
        assertTrue(datagram.checksumValid(SOURCE_IP, DESTINATION_IP));
        assertTrue(datagram.checksumValid(1, 2), "no checksum: nothing to check the addresses against");
    }

    @Test
    void thePayloadEndsWhereTheLengthFieldSaysNotWhereTheBufferDoes() {
        byte[] b = Arrays.copyOf(HEX.parseHex(KNETSIM), 15 + 31);
        Arrays.fill(b, 15, b.length, (byte) 0xee);
        UdpDatagram datagram = UdpDatagram.parse(b, 0, b.length).value();
        assertEquals(7, datagram.payloadLength());
        assertTrue(datagram.checksumValid(SOURCE_IP, DESTINATION_IP), "the padding is not summed");
    }

    @Test
    void lengthsThatDoNotFitAreMalformed() {
        byte[] b = HEX.parseHex(KNETSIM);
        assertEquals("truncated: 7 bytes, UDP header needs 8", UdpDatagram.parse(b, 0, 7).reason());
        assertEquals("truncated: UDP length 15, only 14 bytes", UdpDatagram.parse(b, 0, 14).reason());
        b[5] = 7;
        assertEquals("UDP length 7 is shorter than the 8-byte header", UdpDatagram.parse(b, 0, 15).reason());
        b[4] = 1;
        b[5] = 0;
        assertEquals("truncated: UDP length 256, only 15 bytes", UdpDatagram.parse(b, 0, 15).reason());
    }

    @Test
    void anEmptyPayloadIsFine() {
        byte[] b = new byte[8];
        UdpHeader.forPayload(1, 2, 0).emitChecksummed(b, 0, SOURCE_IP, DESTINATION_IP);
        UdpDatagram datagram = UdpDatagram.parse(b, 0, 8).value();
        assertEquals(0, datagram.payloadLength());
        assertTrue(datagram.checksumValid(SOURCE_IP, DESTINATION_IP));
    }

    @Property
    void emitChecksummedThenParseGivesItBackAndValidates(@ForAll @IntRange(max = 0xffff) int sourcePort,
                                                         @ForAll @IntRange(max = 0xffff) int destinationPort,
                                                         @ForAll @Size(max = 1472) byte[] payload,
                                                         @ForAll int sourceIp, @ForAll int destinationIp,
                                                         @ForAll @IntRange(max = 16) int offset,
                                                         @ForAll @IntRange(max = 16) int slack) {
        byte[] b = new byte[offset + 8 + payload.length + slack];
        Arrays.fill(b, (byte) 0xa5);
        System.arraycopy(payload, 0, b, offset + 8, payload.length);
        UdpHeader written = UdpHeader.forPayload(sourcePort, destinationPort, payload.length)
                .emitChecksummed(b, offset, sourceIp, destinationIp);
        UdpDatagram datagram = UdpDatagram.parse(b, offset, b.length - offset).value();
        assertEquals(written, UdpHeader.of(datagram));
        assertTrue(written.checksum() != 0, "0 is never sent for a computed checksum");
        assertTrue(datagram.checksumValid(sourceIp, destinationIp));
        assertArrayEquals(payload, Arrays.copyOfRange(b, datagram.payloadOffset(),
                datagram.payloadOffset() + datagram.payloadLength()));
    }

    @Property
    void headerEmitThenParseGivesItBack(@ForAll @IntRange(max = 0xffff) int sourcePort,
                                        @ForAll @IntRange(max = 0xffff) int destinationPort,
                                        @ForAll @IntRange(min = 8, max = 64) int datagramLength,
                                        @ForAll @IntRange(max = 0xffff) int checksum) {
        UdpHeader header = new UdpHeader(sourcePort, destinationPort, datagramLength, checksum);
        byte[] b = new byte[datagramLength];
        header.emit(b, 0);
        assertEquals(header, UdpHeader.of(UdpDatagram.parse(b, 0, b.length).value()));
    }

    @Property
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 40) byte[] bytes, @ForAll int sourceIp,
                                  @ForAll int destinationIp) {
        Parsed<UdpDatagram> parsed = UdpDatagram.parse(bytes, 0, bytes.length);
        if (!parsed.isOk()) {
            assertFalse(parsed.reason().isBlank());
            return;
        }
        UdpDatagram datagram = parsed.value();
        assertTrue(datagram.datagramLength() >= 8 && datagram.datagramLength() <= bytes.length);
        datagram.checksumValid(sourceIp, destinationIp);
        byte[] again = new byte[8];
        UdpHeader.of(datagram).emit(again, 0);
        assertArrayEquals(Arrays.copyOf(bytes, 8), again);
    }

    @Test
    void headerRefusesWhatTheFieldsCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> new UdpHeader(65536, 0, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> new UdpHeader(0, -1, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> new UdpHeader(0, 0, 7, 0));
        assertThrows(IllegalArgumentException.class, () -> new UdpHeader(0, 0, 65536, 0));
        assertThrows(IllegalArgumentException.class, () -> UdpHeader.forPayload(0, 0, 65528));
    }

    @Test
    void boundsOutsideTheArrayAreTheCallersBug() {
        assertThrows(IndexOutOfBoundsException.class, () -> UdpDatagram.parse(new byte[8], 1, 8));
        assertThrows(IndexOutOfBoundsException.class,
                () -> UdpHeader.forPayload(1, 2, 4).emitChecksummed(new byte[11], 0, 0, 0));
    }
}
