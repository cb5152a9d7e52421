package knetsim.node.tcp;

import static knetsim.link.wire.NetworkBytes.readInt;
import static knetsim.link.wire.NetworkBytes.readShort;
import static knetsim.link.wire.NetworkBytes.writeInt;

import java.util.Arrays;

/**
 * The options of one TCP header as tcp_parse_options() reads them and tcp_options_write() writes
 * them (MSS, window scale, SACK permitted, timestamps, SACK blocks); -1 or false: absent.
 * {@code sackBlocks} holds start/end sequence pairs (unsigned 32-bit values in longs), at most 4 blocks,
 * most recent first as tcp_sack_new_ofo_skb() keeps them; the record owns the array (do not change it).
 *
 * <p>The codec is context-free: it reports every well-formed option it sees. What tcp_parse_options()
 * additionally demands of the context is the protocol's to apply: MSS, window scale and SACK_PERM count only
 * on a SYN outside ESTABLISHED (an MSS of 0 is ignored), timestamps only when negotiated, window scale is
 * capped at {@link #MAX_WSCALE} ({@link #sendWscale()}), SACK blocks only when SACK was negotiated.
 *
 * <p>How the protocol uses it: tcp_syn_options()/tcp_synack_options() build one with {@link #syn}, and
 * tcp_established_options() with {@link #established}, first asking {@link #sackBlocksRoom} how many of its
 * SACK blocks fit; {@link TcpSegment#emit} writes it; {@link TcpSegment#header()} gives one back.
 */
public record TcpOptions(int mss, int wscale, boolean sackPermitted, boolean timestamps, long tsVal, long tsEcr,
                         long[] sackBlocks) {
    public static final TcpOptions NONE = new TcpOptions(-1, -1, false, false, 0, 0, new long[0]);
    /** MAX_TCP_OPTION_SPACE: the data offset field allows 60 bytes of header, 20 fixed. */
    public static final int MAX_SPACE = 40;
    /** TCP_MAX_WSCALE (RFC 7323 section 2.3). */
    public static final int MAX_WSCALE = 14;
    /** TCP_NUM_SACKS. */
    public static final int MAX_SACK_BLOCKS = 4;

    // include/net/tcp.h: option kinds and lengths
    static final int EOL = 0, NOP = 1, KIND_MSS = 2, KIND_WINDOW = 3, KIND_SACK_PERM = 4, KIND_SACK = 5,
            KIND_TIMESTAMP = 8;
    static final int LEN_MSS = 4, LEN_WINDOW = 3, LEN_SACK_PERM = 2, LEN_TIMESTAMP = 10, LEN_SACK_BASE = 2,
            LEN_SACK_PERBLOCK = 8;
    private static final long[] NO_BLOCKS = new long[0];

    public TcpOptions {
        if (sackBlocks == null || sackBlocks.length % 2 != 0 || sackBlocks.length > 2 * MAX_SACK_BLOCKS) {
            throw new IllegalArgumentException("sack blocks are start/end pairs, at most 4");
        }
        if (mss < -1 || mss > 0xffff) throw new IllegalArgumentException("MSS " + mss + " is not 16 bits (or -1)");
        if (wscale < -1 || wscale > 0xff) throw new IllegalArgumentException("wscale " + wscale + " is not 8 bits");
        if (timestamps) {
            checkSeq("TSval", tsVal);
            checkSeq("TSecr", tsEcr);
        } else {
            tsVal = 0; // no timestamp option: nothing to carry, so equal to what parsing gives back
            tsEcr = 0;
        }
        for (long s : sackBlocks) checkSeq("SACK edge", s);
    }

    /** tcp_syn_options()/tcp_synack_options(): MSS always; SACK_PERM, TS and WS as negotiated (wscale -1: off). */
    public static TcpOptions syn(int mss, boolean sackPermitted, boolean timestamps, long tsVal, long tsEcr,
                                 int wscale) {
        return new TcpOptions(mss, wscale, sackPermitted, timestamps, timestamps ? tsVal : 0,
                timestamps ? tsEcr : 0, NO_BLOCKS);
    }

    /** tcp_established_options(): TS when negotiated, and the SACK blocks that fit ({@link #sackBlocksRoom}). */
    public static TcpOptions established(boolean timestamps, long tsVal, long tsEcr, long[] sackBlocks) {
        return new TcpOptions(-1, -1, false, timestamps, timestamps ? tsVal : 0, timestamps ? tsEcr : 0,
                sackBlocks == null ? NO_BLOCKS : sackBlocks);
    }

    public int sackBlockCount() {
        return sackBlocks.length / 2;
    }

    public long sackStart(int block) {
        return sackBlocks[2 * block];
    }

    public long sackEnd(int block) {
        return sackBlocks[2 * block + 1];
    }

    /** tcp_parse_options(): the peer's window scale, capped at 14 as the kernel does (-1: none offered). */
    public int sendWscale() {
        return wscale < 0 ? -1 : Math.min(wscale, MAX_WSCALE);
    }

    /** tcp_options_size(): the bytes tcp_options_write() uses for these options, a multiple of 4. */
    public int size() {
        return sizeWithoutSack() + (sackBlocks.length == 0 ? 0 : 4 + LEN_SACK_PERBLOCK * sackBlockCount());
    }

    /**
     * tcp_established_options(): how many SACK blocks fit beside the other options: with timestamps 3, without 4
     * ((40 - used - 4) / 8, at most {@link #MAX_SACK_BLOCKS}).
     */
    public int sackBlocksRoom() {
        int remaining = MAX_SPACE - sizeWithoutSack() - 4;
        return remaining < LEN_SACK_PERBLOCK ? 0 : Math.min(remaining / LEN_SACK_PERBLOCK, MAX_SACK_BLOCKS);
    }

    private int sizeWithoutSack() {
        int size = 0;
        if (mss >= 0) size += 4;
        if (timestamps) size += 12;             // SACK_PERM rides in the TS word's padding
        else if (sackPermitted) size += 4;      // NOP NOP SACK_PERM
        if (wscale >= 0) size += 4;             // NOP WS
        return size;
    }

    // tcp_options_write(): MSS; SACK_PERM+TS or NOP NOP TS; NOP NOP SACK_PERM; NOP WS; NOP NOP SACK blocks.
    // Writes size() bytes at b[at]; the caller has checked the room.
    void write(byte[] b, int at) {
        if (mss >= 0) {
            writeInt(b, at, (KIND_MSS << 24) | (LEN_MSS << 16) | mss);
            at += 4;
        }
        if (timestamps) {
            int lead = sackPermitted ? (KIND_SACK_PERM << 24) | (LEN_SACK_PERM << 16) : (NOP << 24) | (NOP << 16);
            writeInt(b, at, lead | (KIND_TIMESTAMP << 8) | LEN_TIMESTAMP);
            writeInt(b, at + 4, (int) tsVal);
            writeInt(b, at + 8, (int) tsEcr);
            at += 12;
        } else if (sackPermitted) {
            writeInt(b, at, (NOP << 24) | (NOP << 16) | (KIND_SACK_PERM << 8) | LEN_SACK_PERM);
            at += 4;
        }
        if (wscale >= 0) {
            writeInt(b, at, (NOP << 24) | (KIND_WINDOW << 16) | (LEN_WINDOW << 8) | wscale);
            at += 4;
        }
        if (sackBlocks.length > 0) {
            int len = LEN_SACK_BASE + LEN_SACK_PERBLOCK * sackBlockCount();
            writeInt(b, at, (NOP << 24) | (NOP << 16) | (KIND_SACK << 8) | len);
            at += 4;
            for (long edge : sackBlocks) {
                writeInt(b, at, (int) edge);
                at += 4;
            }
        }
    }

    /**
     * tcp_parse_options() over {@code b[at..at+length-1]}: NOPs skipped, EOL ends the list, an option with a length
     * below 2 or running past the header ends the list (what came before it stands, the segment is still
     * accepted), an option of the wrong size for its kind is skipped, unknown kinds are skipped, a later copy of
     * an option replaces an earlier one. A SACK option counts if its length is 2 + 8n (n >= 1); as
     * tcp_sacktag_write_queue() does, at most 4 blocks are read.
     */
    static TcpOptions read(byte[] b, int at, int length) {
        if (length == 0) return NONE;
        int mss = -1, wscale = -1;
        boolean sackPermitted = false, timestamps = false;
        long tsVal = 0, tsEcr = 0;
        long[] sack = NO_BLOCKS;
        while (length > 0) {
            int kind = b[at] & 0xff;
            if (kind == EOL) break;
            if (kind == NOP) {
                at++;
                length--;
                continue;
            }
            if (length < 2) break;
            int size = b[at + 1] & 0xff;
            if (size < 2 || size > length) break; // "silly options" / "don't parse partial options"
            int v = at + 2;
            switch (kind) {
                case KIND_MSS -> { if (size == LEN_MSS) mss = readShort(b, v); }
                case KIND_WINDOW -> { if (size == LEN_WINDOW) wscale = b[v] & 0xff; }
                case KIND_SACK_PERM -> { if (size == LEN_SACK_PERM) sackPermitted = true; }
                case KIND_TIMESTAMP -> {
                    if (size == LEN_TIMESTAMP) {
                        timestamps = true;
                        tsVal = readInt(b, v) & 0xffffffffL;
                        tsEcr = readInt(b, v + 4) & 0xffffffffL;
                    }
                }
                case KIND_SACK -> {
                    if (size >= LEN_SACK_BASE + LEN_SACK_PERBLOCK && (size - LEN_SACK_BASE) % LEN_SACK_PERBLOCK == 0) {
                        int n = Math.min((size - LEN_SACK_BASE) / LEN_SACK_PERBLOCK, MAX_SACK_BLOCKS);
                        sack = new long[2 * n];
                        for (int i = 0; i < 2 * n; i++) sack[i] = readInt(b, v + 4 * i) & 0xffffffffL;
                    }
                }
                default -> { } // TCPOPT_MD5SIG, TCPOPT_FASTOPEN, TCPOPT_EXP, ...: not modelled, skipped
            }
            at += size;
            length -= size;
        }
        return new TcpOptions(mss, wscale, sackPermitted, timestamps, tsVal, tsEcr, sack);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpOptions t && mss == t.mss && wscale == t.wscale && sackPermitted == t.sackPermitted
                && timestamps == t.timestamps && tsVal == t.tsVal && tsEcr == t.tsEcr
                && Arrays.equals(sackBlocks, t.sackBlocks);
    }

    @Override
    public int hashCode() {
        return ((((mss * 31 + wscale) * 31 + Boolean.hashCode(sackPermitted)) * 31 + Boolean.hashCode(timestamps)) * 31
                + Long.hashCode(tsVal ^ (tsEcr << 32))) * 31 + Arrays.hashCode(sackBlocks);
    }

    /** As tcpdump prints what tcp_options_write() writes: "[mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]". */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[");
        if (mss >= 0) s.append("mss ").append(mss).append(',');
        if (timestamps) {
            s.append(sackPermitted ? "sackOK," : "nop,nop,").append("TS val ").append(tsVal).append(" ecr ")
                    .append(tsEcr).append(',');
        } else if (sackPermitted) {
            s.append("nop,nop,sackOK,");
        }
        if (wscale >= 0) s.append("nop,wscale ").append(wscale).append(',');
        if (sackBlocks.length > 0) {
            s.append("nop,nop,sack ").append(sackBlockCount()).append(' ');
            for (int i = 0; i < sackBlocks.length; i += 2) {
                s.append('{').append(sackBlocks[i]).append(':').append(sackBlocks[i + 1]).append('}');
            }
            s.append(',');
        }
        if (s.length() > 1) s.setLength(s.length() - 1);
        return s.append(']').toString();
    }

    private static void checkSeq(String name, long value) {
        if (value < 0 || value > 0xffffffffL) {
            throw new IllegalArgumentException(name + " " + value + " is not 32 bits");
        }
    }
}
