package knetsim.node.neigh;

import static knetsim.link.wire.NetworkBytes.readInt;
import static knetsim.link.wire.NetworkBytes.readShort;

import java.util.Objects;

import knetsim.link.ethernet.EtherType;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.wire.Parsed;

/**
 * A checked, read-only view of an Ethernet/IPv4 ARP packet inside a byte array, so arp_rcv() can look at it in
 * place; {@link #parse} is the only way to get one. Other hardware or protocol types are refused, not misread.
 */
public final class ArpPacket {
    /** Bytes of an Ethernet/IPv4 ARP packet; Ethernet pads it to 46, and the padding is not part of it. */
    public static final int LENGTH = 28;

    static final int HARDWARE_TYPE_ETHERNET = 1; // ARPHRD_ETHER
    static final int HARDWARE_LENGTH = MacAddress.LENGTH;
    static final int PROTOCOL_LENGTH = 4;

    // Byte offsets of struct arphdr and the Ethernet/IPv4 addresses that follow it.
    static final int HARDWARE_TYPE = 0;
    static final int PROTOCOL_TYPE = 2;
    static final int HARDWARE_ADDRESS_LENGTH = 4;
    static final int PROTOCOL_ADDRESS_LENGTH = 5;
    static final int OPERATION = 6;
    static final int SENDER_HARDWARE_ADDRESS = 8;
    static final int SENDER_PROTOCOL_ADDRESS = 14;
    static final int TARGET_HARDWARE_ADDRESS = 18;
    static final int TARGET_PROTOCOL_ADDRESS = 24;

    private final byte[] buffer;
    private final int offset;
    // Validated at parse time, so a later write to the buffer cannot turn a request into something else.
    private final int operation;

    private ArpPacket(byte[] buffer, int offset, int operation) {
        this.buffer = buffer;
        this.offset = offset;
        this.operation = operation;
    }

    /**
     * Checks the ARP packet at {@code b[off..off+len-1]} (the Ethernet payload, padding included) and returns a
     * view of its first {@link #LENGTH} bytes, or why knetsim does not model it. Only bounds outside {@code b}
     * throw.
     *
     * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not describe a range inside {@code b}
     */
    public static Parsed<ArpPacket> parse(byte[] b, int off, int len) {
        // arp_rcv() and arp_process(): the header must fit, its address lengths must be the device's and IPv4's,
        // and only requests and replies are processed; anything else is freed without an answer.
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < LENGTH) {
            return Parsed.malformed("truncated: " + len + " bytes, Ethernet/IPv4 ARP needs " + LENGTH);
        }
        int hardwareType = readShort(b, off + HARDWARE_TYPE);
        if (hardwareType != HARDWARE_TYPE_ETHERNET) {
            return Parsed.malformed("hardware type " + hardwareType + ", only Ethernet is modelled");
        }
        int protocolType = readShort(b, off + PROTOCOL_TYPE);
        if (protocolType != EtherType.IPV4) {
            return Parsed.malformed(String.format("protocol type 0x%04x, only IPv4 is modelled", protocolType));
        }
        int hardwareLength = b[off + HARDWARE_ADDRESS_LENGTH] & 0xff;
        if (hardwareLength != HARDWARE_LENGTH) {
            return Parsed.malformed("hardware address length " + hardwareLength + ", Ethernet's is 6");
        }
        int protocolLength = b[off + PROTOCOL_ADDRESS_LENGTH] & 0xff;
        if (protocolLength != PROTOCOL_LENGTH) {
            return Parsed.malformed("protocol address length " + protocolLength + ", IPv4's is 4");
        }
        int operation = readShort(b, off + OPERATION);
        if (operation != ArpMessage.REQUEST && operation != ArpMessage.REPLY) {
            return Parsed.malformed("operation " + operation + ", only request (1) and reply (2) are modelled");
        }
        return Parsed.ok(new ArpPacket(b, off, operation));
    }

    /** The array holding the packet; shared, not copied. */
    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** {@link ArpMessage#REQUEST} or {@link ArpMessage#REPLY}. */
    public int operation() {
        return operation;
    }

    public boolean isRequest() {
        return operation == ArpMessage.REQUEST;
    }

    public boolean isReply() {
        return operation == ArpMessage.REPLY;
    }

    public MacAddress senderHardwareAddress() {
        return MacAddress.read(buffer, offset + SENDER_HARDWARE_ADDRESS);
    }

    /** The sender's IPv4 address, first octet most significant. */
    public int senderProtocolAddress() {
        return readInt(buffer, offset + SENDER_PROTOCOL_ADDRESS);
    }

    public MacAddress targetHardwareAddress() {
        return MacAddress.read(buffer, offset + TARGET_HARDWARE_ADDRESS);
    }

    public int targetProtocolAddress() {
        return readInt(buffer, offset + TARGET_PROTOCOL_ADDRESS);
    }

    /** A gratuitous ARP announces the sender's own binding: it asks for, or answers about, its own address. */
    public boolean isGratuitous() {
        return senderProtocolAddress() == targetProtocolAddress();
    }

    @Override
    public String toString() {
        return ArpMessage.of(this).toString();
    }


}
