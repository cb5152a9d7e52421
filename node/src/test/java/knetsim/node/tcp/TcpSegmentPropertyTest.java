package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import knetsim.link.wire.Parsed;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Round trips of any header the protocol can make, and parsing of any bytes the wire can bring. */
class TcpSegmentPropertyTest {

    @Provide
    Arbitrary<TcpOptions> options() {
        Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xffffffffL);
        Arbitrary<long[]> blocks = u32.array(long[].class).ofMaxSize(8).filter(a -> a.length % 2 == 0);
        return Combinators.combine(Arbitraries.integers().between(-1, 0xffff), Arbitraries.integers().between(-1, 0xff),
                Arbitraries.of(true, false), Arbitraries.of(true, false), u32, u32, blocks)
                .as((mss, ws, sackOk, ts, val, ecr, sack) -> {
                    TcpOptions o = new TcpOptions(mss, ws, sackOk, ts, val, ecr, new long[0]);
                    // tcp_established_options(): only the blocks that fit
                    int n = Math.min(sack.length / 2, o.sackBlocksRoom());
                    return new TcpOptions(mss, ws, sackOk, ts, val, ecr, Arrays.copyOf(sack, 2 * n));
                });
    }

    @Provide
    Arbitrary<TcpHeader> headers() {
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xffffffffL);
        return Combinators.combine(u16, u16, u32, u32, Arbitraries.integers().between(0, 0x1ff), u16, u16, options())
                .as(TcpHeader::new);
    }

    @Property
    void emitThenParseGivesTheSameHeaderPayloadAndAValidChecksum(@ForAll("headers") TcpHeader h,
                                                                @ForAll @Size(max = 1460) byte[] payload,
                                                                @ForAll int src, @ForAll int dst,
                                                                @ForAll @IntRange(max = 16) int off,
                                                                @ForAll @IntRange(max = 16) int slack) {
        int hl = TcpSegment.headerLength(h.options());
        assertTrue(hl <= 60 && hl % 4 == 0);
        byte[] b = new byte[off + hl + payload.length + slack];
        Arrays.fill(b, (byte) 0xa5);
        assertEquals(hl + payload.length, TcpSegment.emit(h, payload, 0, payload.length, b, off, src, dst));
        TcpSegment s = TcpSegment.parse(b, off, hl + payload.length).value();
        assertEquals(h, s.header());
        assertEquals(hl, s.headerLength());
        assertTrue(s.checksumValid(src, dst));
        assertArrayEquals(payload, Arrays.copyOfRange(b, s.payloadOffset(), s.payloadOffset() + s.payloadLength()));
        if (slack > 0) assertEquals((byte) 0xa5, b[off + hl + payload.length], "nothing written after the segment");
        if (off > 0) assertEquals((byte) 0xa5, b[off - 1], "nor before it");
    }

    @Property
    void anySingleBitFlipBreaksTheChecksum(@ForAll("headers") TcpHeader h, @ForAll @Size(max = 64) byte[] payload,
                                          @ForAll int src, @ForAll int dst, @ForAll @IntRange(max = 100_000) int pick) {
        byte[] b = new byte[TcpSegment.headerLength(h.options()) + payload.length];
        TcpSegment.emit(h, payload, 0, payload.length, b, 0, src, dst);
        int bit = pick % (8 * b.length);
        b[bit / 8] ^= (byte) (1 << (bit % 8));
        Parsed<TcpSegment> p = TcpSegment.parse(b, 0, b.length);
        // a flip in the data offset may make the header unparseable; otherwise the sum must notice
        if (p.isOk()) assertFalse(p.value().checksumValid(src, dst), "bit " + bit);
    }

    /** Random bytes: parse answers Ok or Malformed, and an Ok view can be read whole without throwing. */
    @Property(tries = 2000)
    void garbageNeverThrows(@ForAll @Size(max = 80) byte[] bytes, @ForAll @IntRange(max = 80) int cut,
                            @ForAll int src, @ForAll int dst) {
        int len = Math.min(cut, bytes.length);
        readWhole(TcpSegment.parse(bytes, 0, len), src, dst);
    }

    /** A plausible header (doff 5..15) over random option bytes: the option parser's every path. */
    @Property(tries = 2000)
    void randomOptionBytesNeverThrowAndAlwaysKeepTheSegment(@ForAll @IntRange(min = 5, max = 15) int doff,
                                                          @ForAll @Size(value = 40) byte[] opts) {
        byte[] b = new byte[doff * 4 + 3];
        b[12] = (byte) (doff << 4);
        for (int i = 0; i < doff * 4 - 20; i++) {
            // small values only, half of them kinds Linux knows, so kinds and right sizes meet often
            int v = opts[i] & 0xff;
            b[20 + i] = (byte) (v < 128 ? v % 11 : v % 41);
        }
        Parsed<TcpSegment> p = TcpSegment.parse(b, 0, b.length);
        assertTrue(p.isOk(), "options never make a segment malformed");
        TcpHeader h = readWhole(p, 1, 2);
        TcpOptions o = h.options();
        assertTrue(o.sackBlockCount() <= 4 && (o.wscale() < 0 || o.sendWscale() <= 14));
    }

    private static TcpHeader readWhole(Parsed<TcpSegment> p, int src, int dst) {
        if (!p.isOk()) {
            assertFalse(p.reason().isEmpty());
            return null;
        }
        TcpSegment s = p.value();
        TcpHeader h = s.header();
        s.checksumValid(src, dst);
        assertTrue(s.payloadLength() >= 0 && s.headerLength() >= 20 && s.toString().contains("Flags ["));
        // what parsed can be written again when its options fit; writing it back gives the same header
        if (h.length() <= TcpSegment.MAX_HEADER_LEN) {
            byte[] again = new byte[h.length()];
            TcpSegment.emit(h, null, 0, 0, again, 0, src, dst);
            assertEquals(h, TcpSegment.parse(again, 0, again.length).value().header());
        }
        return h;
    }
}
