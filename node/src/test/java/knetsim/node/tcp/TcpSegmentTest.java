package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import knetsim.link.wire.Parsed;
import org.junit.jupiter.api.Test;

/** The codec against what a Linux 6.x host puts on the wire, byte for byte. */
class TcpSegmentTest {
    static final HexFormat HEX = HexFormat.of();
    static final int CLIENT = 0x0a000001; // 10.0.0.1
    static final int SERVER = 0x0a000002; // 10.0.0.2

    /**
     * 10.0.0.1:40000 > 10.0.0.2:5201 SYN as Linux 6.x sends it (tcpdump: "Flags [S], seq 986755522, win 64240,
     * options [mss 1460,sackOK,TS val 123456 ecr 0,nop,wscale 7], length 0"): doff 10 (40 bytes), options
     * 02 04 05b4 | 04 02 08 0a TSval TSecr | 01 03 03 07. The checksum 0xb9a6 was computed apart from the codec
     * (an RFC 1071 sum over pseudo header and segment in Python) and tshark calls it correct.
     */
    static final String LINUX_SYN = "9c40" + "1451" + "3ad0b1c2" + "00000000" + "a002" + "faf0" + "b9a6" + "0000"
            + "020405b4" + "0402080a" + "0001e240" + "00000000" + "01030307";

    static TcpHeader linuxSyn() {
        return new TcpHeader(40000, 5201, 0x3ad0b1c2L, 0, TcpHeader.SYN, 64240, 0,
                TcpOptions.syn(1460, true, true, 123456, 0, 7));
    }

    static byte[] emit(TcpHeader h, byte[] payload, int src, int dst) {
        byte[] b = new byte[TcpSegment.headerLength(h.options()) + payload.length];
        assertEquals(b.length, TcpSegment.emit(h, payload, 0, payload.length, b, 0, src, dst));
        return b;
    }

    /** An RFC 1071 checksum written out apart from InternetChecksum: pseudo header and segment as one array. */
    static int independentChecksum(byte[] segment, int src, int dst) {
        byte[] all = new byte[12 + segment.length + 1];
        for (int i = 0; i < 4; i++) {
            all[i] = (byte) (src >>> (24 - 8 * i));
            all[4 + i] = (byte) (dst >>> (24 - 8 * i));
        }
        all[9] = 6;
        all[10] = (byte) (segment.length >>> 8);
        all[11] = (byte) segment.length;
        System.arraycopy(segment, 0, all, 12, segment.length);
        all[12 + 16] = 0; // the checksum field counts as zero
        all[12 + 17] = 0;
        int sum = 0;
        for (int i = 0; i + 1 < all.length; i += 2) {
            sum += ((all[i] & 0xff) << 8) | (all[i + 1] & 0xff);
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    @Test
    void aLinuxSynIsFortyBytesInLinuxOptionOrder() {
        byte[] b = emit(linuxSyn(), new byte[0], CLIENT, SERVER);
        assertEquals(LINUX_SYN, HEX.formatHex(b));
        assertEquals(40, b.length);
        assertEquals(40, linuxSyn().length());
        TcpSegment s = TcpSegment.parse(b, 0, b.length).value();
        assertEquals(linuxSyn(), s.header());
        assertEquals(40, s.headerLength());
        assertEquals(0, s.payloadLength());
        assertTrue(s.checksumValid(CLIENT, SERVER));
        assertEquals("40000 > 5201: Flags [S], seq 986755522, win 64240, options [mss 1460,sackOK,TS val 123456 ecr 0,"
                + "nop,wscale 7], length 0", s.toString());
    }

    /** Linux's SYN-ACK to that SYN: win 65160 (tcp_rmem[1] at MSS 1460 less TS), the same 20 option bytes. */
    @Test
    void aLinuxSynAckEchoesTheTimestampAndAcksTheSyn() {
        TcpHeader h = new TcpHeader(5201, 40000, 0x9e3779b9L, 0x3ad0b1c3L, TcpHeader.SYN | TcpHeader.ACK, 65160, 0,
                TcpOptions.syn(1460, true, true, 777, 123456, 7));
        byte[] b = emit(h, new byte[0], SERVER, CLIENT);
        assertEquals("9c40", HEX.formatHex(b, 2, 4));
        assertEquals("3ad0b1c3", HEX.formatHex(b, 8, 12));
        assertEquals("a012" + "fe88", HEX.formatHex(b, 12, 16), "doff 10, SYN|ACK, window 65160");
        assertEquals("020405b4" + "0402080a" + "00000309" + "0001e240" + "01030307", HEX.formatHex(b, 20, 40));
        assertEquals(independentChecksum(b, SERVER, CLIENT), ((b[16] & 0xff) << 8) | (b[17] & 0xff));
        assertEquals("5201 > 40000: Flags [S.], seq 2654435769, ack 986755523, win 65160, options [mss 1460,sackOK,"
                + "TS val 777 ecr 123456,nop,wscale 7]", h.toString());
    }

    /** A full-sized data segment: NOP NOP TS (12 bytes), doff 8, so 1448 bytes of payload fill a 1500-byte MTU. */
    @Test
    void aDataSegmentCarriesNopNopTimestamp() {
        byte[] payload = new byte[1448];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 7);
        TcpHeader h = new TcpHeader(40000, 5201, 0x3ad0b1c3L, 0x9e3779baL, TcpHeader.PSH | TcpHeader.ACK, 502, 0,
                TcpOptions.established(true, 123500, 800, null));
        byte[] b = emit(h, payload, CLIENT, SERVER);
        assertEquals(32 + 1448, b.length);
        assertEquals("8018", HEX.formatHex(b, 12, 14));
        assertEquals("0101080a" + "0001e26c" + "00000320", HEX.formatHex(b, 20, 32));
        assertEquals(independentChecksum(b, CLIENT, SERVER), ((b[16] & 0xff) << 8) | (b[17] & 0xff));
        TcpSegment s = TcpSegment.parse(b, 0, b.length).value();
        assertEquals(h, s.header());
        assertArrayEquals(payload, Arrays.copyOfRange(b, s.payloadOffset(), s.payloadOffset() + s.payloadLength()));
        assertEquals("40000 > 5201: Flags [P.], seq 986755523, ack 2654435770, win 502, options [nop,nop,TS val "
                + "123500 ecr 800], length 1448", s.toString());
    }

    /** With timestamps three SACK blocks fit: 20 + 12 + 4 + 3 * 8 = 60, the most a data offset can say. */
    @Test
    void threeSackBlocksFitBesideTimestampsFourWithout() {
        long[] three = {3000, 4000, 6000, 7000, 9000, 10000};
        TcpOptions withTs = TcpOptions.established(true, 1, 2, three);
        assertEquals(3, TcpOptions.established(true, 1, 2, null).sackBlocksRoom());
        assertEquals(4, TcpOptions.established(false, 0, 0, null).sackBlocksRoom());
        TcpHeader h = new TcpHeader(5201, 40000, 1, 2000, TcpHeader.ACK, 1000, 0, withTs);
        byte[] b = emit(h, new byte[0], SERVER, CLIENT);
        assertEquals(60, b.length);
        assertEquals(0xf0, b[12] & 0xff, "doff 15");
        assertEquals("0101080a" + "00000001" + "00000002" + "0101051a" + "00000bb8" + "00000fa0",
                HEX.formatHex(b, 20, 44), "NOP NOP SACK, length 2 + 3 * 8 = 26 (0x1a)");
        assertEquals(h, TcpSegment.parse(b, 0, b.length).value().header());
        assertEquals("[nop,nop,TS val 1 ecr 2,nop,nop,sack 3 {3000:4000}{6000:7000}{9000:10000}]", withTs.toString());

        long[] four = {1, 2, 3, 4, 5, 6, 7, 8};
        TcpHeader noTs = new TcpHeader(5201, 40000, 1, 1, TcpHeader.ACK, 1000, 0,
                TcpOptions.established(false, 0, 0, four));
        byte[] c = emit(noTs, new byte[0], SERVER, CLIENT);
        assertEquals(20 + 4 + 32, c.length);
        assertEquals(noTs, TcpSegment.parse(c, 0, c.length).value().header());
        TcpHeader tooMany = new TcpHeader(5201, 40000, 1, 1, TcpHeader.ACK, 1000, 0,
                TcpOptions.established(true, 1, 2, four));
        assertThrows(IllegalArgumentException.class, () -> emit(tooMany, new byte[0], SERVER, CLIENT));
    }

    @Test
    void sackPermittedWithoutTimestampsAndTimestampsWithoutSack() {
        // tcp_syn_options() with tcp_timestamps=0: MSS, NOP NOP SACK_PERM, NOP WS = 32 bytes
        byte[] b = emit(new TcpHeader(1, 2, 0, 0, TcpHeader.SYN, 64240, 0, TcpOptions.syn(1460, true, false, 0, 0, 7)),
                new byte[0], CLIENT, SERVER);
        assertEquals("020405b4" + "01010402" + "01030307", HEX.formatHex(b, 20, b.length));
        // with tcp_sack=0: MSS, NOP NOP TS, NOP WS = 40 bytes
        b = emit(new TcpHeader(1, 2, 0, 0, TcpHeader.SYN, 64240, 0, TcpOptions.syn(1460, false, true, 5, 0, 7)),
                new byte[0], CLIENT, SERVER);
        assertEquals("020405b4" + "0101080a" + "00000005" + "00000000" + "01030307", HEX.formatHex(b, 20, b.length));
    }

    @Test
    void theChecksumMatchesAnIndependentSumAndCatchesAnyChange() {
        byte[] payload = "odd-length payload".substring(0, 17).getBytes(StandardCharsets.US_ASCII);
        TcpHeader h = new TcpHeader(40000, 5201, 0xfffffff0L, 7, TcpHeader.ACK | TcpHeader.PSH, 0xffff, 0,
                TcpOptions.established(true, 0xffffffffL, 0x80000000L, new long[] {0xfffffff0L, 5}));
        byte[] b = emit(h, payload, CLIENT, SERVER);
        TcpSegment s = TcpSegment.parse(b, 0, b.length).value();
        assertEquals(independentChecksum(b, CLIENT, SERVER), s.checksum());
        assertTrue(s.checksumValid(CLIENT, SERVER));
        assertFalse(s.checksumValid(CLIENT, SERVER + 1), "the pseudo header is covered");
        assertFalse(s.checksumValid(SERVER, CLIENT + 1));
        assertFalse(TcpSegment.parse(b, 0, b.length - 1).value().checksumValid(CLIENT, SERVER), "so is the length");
        b[b.length - 1] ^= 0x01;
        assertFalse(s.checksumValid(CLIENT, SERVER));
    }

    @Test
    void aSegmentInsideALargerBufferWithThePayloadAlreadyInPlace() {
        byte[] b = new byte[100];
        Arrays.fill(b, (byte) 0x5a);
        TcpHeader h = new TcpHeader(1, 2, 3, 4, TcpHeader.ACK, 5, 0, TcpOptions.established(true, 6, 7, null));
        int n = TcpSegment.emit(h, b, 10 + 32, 8, b, 10, CLIENT, SERVER);
        assertEquals(40, n);
        TcpSegment s = TcpSegment.parse(b, 10, n).value();
        assertEquals(h, s.header());
        assertEquals(42, s.payloadOffset());
        assertTrue(s.checksumValid(CLIENT, SERVER));
        assertEquals(0x5a, b[49]);
        assertEquals(0x5a, b[50], "nothing written past the segment");
        assertEquals(0x5a, b[9], "nor before it");
    }

    @Test
    void headerChecksThatTcpV4RcvMakes() {
        byte[] b = HEX.parseHex(LINUX_SYN);
        Parsed<TcpSegment> shortHeader = TcpSegment.parse(b, 0, 19);
        assertEquals("truncated: 19 bytes, TCP header needs 20", shortHeader.reason());
        assertFalse(TcpSegment.countsAsInErr(shortHeader.reason()), "pskb_may_pull() fails: discard_it");
        assertEquals("truncated: data offset 40 bytes, only 39", TcpSegment.parse(b, 0, 39).reason());
        b[12] = 0x40;
        Parsed<TcpSegment> badDoff = TcpSegment.parse(b, 0, b.length);
        assertEquals("bad data offset 4, at least 5 words", badDoff.reason());
        assertTrue(TcpSegment.countsAsInErr(badDoff.reason()), "doff < 5: bad_packet, TCP_MIB_INERRS");
        b[12] = 0x50;
        TcpSegment plain = TcpSegment.parse(b, 0, b.length).value();
        assertEquals(TcpOptions.NONE, plain.options());
        assertEquals(20, plain.payloadLength(), "with doff 5 the option bytes are payload");
        assertThrows(IndexOutOfBoundsException.class, () -> TcpSegment.parse(b, 30, 20));
    }

    /** tcp_parse_options(): a bad option ends the list; what came before stands and the segment is accepted. */
    @Test
    void aMalformedOptionListEndsOptionParsingNotTheSegment() {
        assertEquals(new TcpOptions(1460, -1, false, false, 0, 0, new long[0]),
                options("020405b4" + "0800" + "0103030700"), "length 0 ('silly option'): stop, wscale unseen");
        assertEquals(new TcpOptions(1460, -1, false, false, 0, 0, new long[0]),
                options("020405b4" + "0103" + "0809aabb"), "a WS claiming 8 bytes with 7 left: stop");
        assertEquals(new TcpOptions(1460, -1, false, false, 0, 0, new long[0]),
                options("020405b4" + "00" + "0103030701"), "EOL ends the list");
        assertEquals(new TcpOptions(-1, 7, false, false, 0, 0, new long[0]),
                options("020305" + "010303" + "07" + "00"), "a 3-byte MSS is skipped, parsing goes on");
        assertEquals(new TcpOptions(-1, 3, true, false, 0, 0, new long[0]),
                options("1e04abcd" + "0402" + "010303" + "03" + "02"),
                "unknown kind 30 skipped by its length; an MSS kind in the last byte has no room for a length");
        assertEquals(new TcpOptions(-1, -1, false, true, 9, 10, new long[0]),
                options("0101" + "0509" + "00000001000000" + "080a" + "00000009" + "0000000a" + "0101"),
                "SACK of length 9 (not 2 + 8n) is ignored, TS after it read");
        assertEquals(new TcpOptions(-1, -1, false, false, 0, 0, new long[] {1, 2}),
                options("0502" + "0101" + "050a" + "00000001" + "00000002"), "an empty SACK is ignored too");
        assertEquals(new TcpOptions(536, -1, false, false, 0, 0, new long[0]),
                options("020405b4" + "02040218"), "a later copy replaces the earlier");
        assertEquals(14, options("01030315").sendWscale(), "wscale 21 is capped at TCP_MAX_WSCALE");
        assertEquals(21, options("01030315").wscale(), "but reported as sent");
    }

    /** Parses {@code hex} as the option bytes of a header (padded with EOL to a multiple of 4). */
    private static TcpOptions options(String hex) {
        byte[] opts = HEX.parseHex(hex);
        byte[] b = new byte[20 + (opts.length + 3) / 4 * 4];
        b[12] = (byte) ((b.length / 4) << 4);
        System.arraycopy(opts, 0, b, 20, opts.length);
        return TcpSegment.parse(b, 0, b.length).value().header().options();
    }

    @Test
    void flagsAndFieldsReadAsTcpdumpPrintsThem() {
        assertEquals("FSRP.UEWe", TcpHeader.flagString(0x1ff));
        assertEquals("none", TcpHeader.flagString(0));
        assertEquals("SEW", TcpHeader.flagString(TcpHeader.SYN | TcpHeader.ECE | TcpHeader.CWR));
        byte[] b = HEX.parseHex(LINUX_SYN);
        b[12] |= 0x0f; // the AE bit and three reserved bits
        TcpSegment s = TcpSegment.parse(b, 0, b.length).value();
        assertEquals(TcpHeader.SYN | TcpHeader.AE, s.flags(), "reserved bits are not flags");
        assertThrows(IllegalArgumentException.class, () -> new TcpHeader(65536, 1, 0, 0, 0, 0, 0, TcpOptions.NONE));
        assertThrows(IllegalArgumentException.class, () -> new TcpHeader(1, 1, 1L << 32, 0, 0, 0, 0, TcpOptions.NONE));
        assertThrows(IllegalArgumentException.class, () -> new TcpHeader(1, 1, 0, 0, 0x200, 0, 0, TcpOptions.NONE));
        assertThrows(IllegalArgumentException.class, () -> TcpOptions.established(true, -1, 0, null));
    }
}
