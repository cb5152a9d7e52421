package knetsim.link.ethernet;

import static knetsim.link.wire.NetworkBytes.writeShort;

import java.util.Objects;

/**
 * The meaning of an Ethernet II header apart from its bytes (smoltcp's {@code EthernetRepr}): what the send path
 * fills in and {@link #emit}s, and what a parsed {@link EthernetFrame} turns back into.
 *
 * @param vlanTci   the 802.1Q tag control information, or -1 for an untagged frame
 * @param etherType the payload's protocol; with a tag this is the type after it
 */
public record EthernetHeader(MacAddress destination, MacAddress source, int vlanTci, int etherType) {
    private static final int UNTAGGED = -1;

    public EthernetHeader {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(source, "source");
        if (vlanTci != UNTAGGED && (vlanTci < 0 || vlanTci > 0xffff)) {
            throw new IllegalArgumentException(String.format(
                    "VLAN TCI 0x%x is not -1 (untagged) or 16 bits", vlanTci));
        }
        // Below 0x0600 the field would be read back as an 802.3 length, and a payload type of 0x8100 would be
        // read back as a second tag: either way parse() could not return this header.
        if (etherType < EtherType.MIN || etherType > 0xffff || etherType == EtherType.VLAN) {
            throw new IllegalArgumentException(String.format(
                    "EtherType 0x%04x is not a payload type (0x0600..0xffff, not 0x8100)", etherType));
        }
    }

    /** An untagged header, the common case. */
    public static EthernetHeader untagged(MacAddress destination, MacAddress source, int etherType) {
        return new EthernetHeader(destination, source, UNTAGGED, etherType);
    }

    /** The header of a frame that parsed; it cannot throw, since parse() accepts only what the constructor does. */
    public static EthernetHeader of(EthernetFrame frame) {
        return new EthernetHeader(frame.destination(), frame.source(), frame.vlanTci(), frame.etherType());
    }

    public boolean hasVlanTag() {
        return vlanTci != UNTAGGED;
    }

    /** Bytes {@link #emit} writes: 14, or 18 with a tag. */
    public int length() {
        return hasVlanTag() ? EthernetFrame.HEADER_LEN + EthernetFrame.VLAN_TAG_LEN : EthernetFrame.HEADER_LEN;
    }

    /** The 12-bit VLAN id, or -1 when untagged. */
    public int vlanId() {
        return hasVlanTag() ? vlanTci & EthernetFrame.VLAN_VID_MASK : UNTAGGED;
    }

    /** The 3-bit priority code point, or -1 when untagged. */
    public int vlanPriority() {
        return hasVlanTag() ? vlanTci >>> EthernetFrame.VLAN_PRIO_SHIFT : UNTAGGED;
    }

    /**
     * Writes exactly {@link #length()} bytes at {@code b[off]} and nothing else; the payload follows at
     * {@code off + length()}.
     */
    public void emit(byte[] b, int off) {
        // eth_header() and vlan_insert_tag(): destination, source, then the tag (if any) before the type.
        Objects.checkFromIndexSize(off, length(), b.length);
        destination.write(b, off);
        source.write(b, off + MacAddress.LENGTH);
        int at = off + 2 * MacAddress.LENGTH;
        if (hasVlanTag()) {
            writeShort(b, at, EtherType.VLAN);
            writeShort(b, at + 2, vlanTci);
            at += EthernetFrame.VLAN_TAG_LEN;
        }
        writeShort(b, at, etherType);
    }

    /** Like {@code tcpdump -e}: source, destination, then the tag and the type. */
    @Override
    public String toString() {
        String tag = hasVlanTag() ? "vlan " + vlanId() + ", p " + vlanPriority() + ", " : "";
        return source + " > " + destination + ", " + tag
                + String.format("ethertype %s (0x%04x)", EtherType.name(etherType), etherType);
    }

}
