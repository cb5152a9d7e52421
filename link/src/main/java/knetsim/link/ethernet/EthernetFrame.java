package knetsim.link.ethernet;

import static knetsim.link.wire.NetworkBytes.readShort;

import java.util.Objects;

import knetsim.link.wire.Parsed;

/**
 * A checked, read-only view of an Ethernet II frame inside a byte array, so the receive path can look at the
 * header in place without copying the frame; {@link #parse} is the only way to get one.
 */
public final class EthernetFrame {
    public static final int HEADER_LEN = 14;     // ETH_HLEN: destination, source, type
    public static final int VLAN_TAG_LEN = 4;    // VLAN_HLEN: TPID 0x8100 and the TCI
    public static final int MIN_FRAME_LEN = 60;  // ETH_ZLEN: shorter frames are padded by the NIC, not by us
    public static final int FCS_LEN = 4;         // ETH_FCS_LEN: added and checked by the NIC, never in the buffer
    public static final int MAX_VLAN_ID = 4094;  // 0 means "priority tag only" and 4095 is reserved

    // Byte offsets in the frame, and the layout of the tag control information as the kernel names it.
    private static final int DESTINATION = 0;
    private static final int SOURCE = 6;
    private static final int TYPE = 12;
    private static final int VLAN_TCI = 14;
    private static final int VLAN_INNER_TYPE = 16;
    static final int VLAN_PRIO_SHIFT = 13;
    static final int VLAN_VID_MASK = 0x0fff;

    private final byte[] buffer;
    private final int offset;
    private final int length;
    // The fields parse() validated are kept, so a later write to the buffer cannot make them disagree with it.
    private final int headerLength;
    private final int vlanTci;
    private final int etherType;

    private EthernetFrame(byte[] buffer, int offset, int length, int headerLength, int vlanTci, int etherType) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.headerLength = headerLength;
        this.vlanTci = vlanTci;
        this.etherType = etherType;
    }

    /**
     * Checks the frame in {@code b[off..off+len-1]} (without FCS) and returns a view of it, or why it is not an
     * Ethernet II frame knetsim models. Malformed bytes never throw; only bounds outside {@code b} do, since those
     * are the caller's bug and not something a peer sent.
     *
     * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not describe a range inside {@code b}
     */
    public static Parsed<EthernetFrame> parse(byte[] b, int off, int len) {
        // eth_type_trans() and skb_vlan_untag(): the type/length field tells Ethernet II from 802.3, and one
        // 802.1Q tag is looked through to find the payload's protocol.
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < HEADER_LEN) {
            return Parsed.malformed("truncated: " + len + " bytes, Ethernet header needs " + HEADER_LEN);
        }
        int type = readShort(b, off + TYPE);
        if (type != EtherType.VLAN) {
            if (EtherType.isLength(type)) {
                return Parsed.malformed(String.format("802.3 length field 0x%04x, not Ethernet II", type));
            }
            return Parsed.ok(new EthernetFrame(b, off, len, HEADER_LEN, -1, type));
        }
        int taggedLength = HEADER_LEN + VLAN_TAG_LEN;
        if (len < taggedLength) {
            return Parsed.malformed("truncated: " + len + " bytes, 802.1Q tagged Ethernet header needs "
                    + taggedLength);
        }
        int innerType = readShort(b, off + VLAN_INNER_TYPE);
        if (innerType == EtherType.VLAN) {
            return Parsed.malformed("stacked 802.1Q tags, only one tag is modelled");
        }
        if (EtherType.isLength(innerType)) {
            return Parsed.malformed(String.format("802.3 length field 0x%04x after 802.1Q tag, not Ethernet II",
                    innerType));
        }
        int tci = readShort(b, off + VLAN_TCI);
        return Parsed.ok(new EthernetFrame(b, off, len, taggedLength, tci, innerType));
    }

    /** The array holding the frame; shared, not copied, so the receiver takes it over as the sender handed it. */
    public byte[] buffer() {
        return buffer;
    }

    /** Index in {@link #buffer()} of the frame's first byte. */
    public int offset() {
        return offset;
    }

    /** Bytes of the whole frame, header included, FCS excluded. */
    public int length() {
        return length;
    }

    public MacAddress destination() {
        return MacAddress.read(buffer, offset + DESTINATION);
    }

    public MacAddress source() {
        return MacAddress.read(buffer, offset + SOURCE);
    }

    public boolean hasVlanTag() {
        return vlanTci >= 0;
    }

    /** The 16-bit tag control information (priority, drop eligible, VLAN id), or -1 when the frame is untagged. */
    public int vlanTci() {
        return vlanTci;
    }

    /** The 12-bit VLAN id, 0 for a priority-only tag, or -1 when untagged. */
    public int vlanId() {
        return hasVlanTag() ? vlanTci & VLAN_VID_MASK : -1;
    }

    /** The 3-bit priority code point (PCP), or -1 when untagged. */
    public int vlanPriority() {
        return hasVlanTag() ? vlanTci >>> VLAN_PRIO_SHIFT : -1;
    }

    /** The protocol of the payload: the type after the tag when there is one, so it is never {@code VLAN}. */
    public int etherType() {
        return etherType;
    }

    /** {@link #HEADER_LEN}, or that plus {@link #VLAN_TAG_LEN} when tagged. */
    public int headerLength() {
        return headerLength;
    }

    /** Index in {@link #buffer()} (not in the frame) of the payload's first byte. */
    public int payloadOffset() {
        return offset + headerLength;
    }

    /** Bytes after the header, including any padding the sender's NIC added to reach {@link #MIN_FRAME_LEN}. */
    public int payloadLength() {
        return length - headerLength;
    }

    @Override
    public String toString() {
        return EthernetHeader.of(this) + ", length " + length;
    }

}
