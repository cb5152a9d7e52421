package knetsim.node.neigh;

import static knetsim.link.wire.NetworkBytes.writeInt;
import static knetsim.link.wire.NetworkBytes.writeShort;

import java.util.Objects;

import knetsim.link.ethernet.EtherType;
import knetsim.link.ethernet.MacAddress;

/**
 * The meaning of an Ethernet/IPv4 ARP packet apart from its bytes (smoltcp's {@code ArpRepr}): what arp_send()
 * fills in and {@link #emit}s, and what a parsed {@link ArpPacket} turns back into. IPv4 addresses are ints.
 *
 * @param operation {@link #REQUEST} or {@link #REPLY}
 */
public record ArpMessage(int operation, MacAddress senderHardwareAddress, int senderProtocolAddress,
                         MacAddress targetHardwareAddress, int targetProtocolAddress) {
    public static final int REQUEST = 1; // ARPOP_REQUEST
    public static final int REPLY = 2;   // ARPOP_REPLY

    public ArpMessage {
        if (operation != REQUEST && operation != REPLY) {
            throw new IllegalArgumentException("ARP operation " + operation + " is not request (1) or reply (2)");
        }
        Objects.requireNonNull(senderHardwareAddress, "senderHardwareAddress");
        Objects.requireNonNull(targetHardwareAddress, "targetHardwareAddress");
    }

    /** arp_solicit(): who has {@code target}? The target hardware address is unknown, so zero. */
    public static ArpMessage request(MacAddress senderMac, int senderIp, int targetIp) {
        return new ArpMessage(REQUEST, senderMac, senderIp, MacAddress.ZERO, targetIp);
    }

    /** arp_process() answering {@code request}: {@code ownMac} has the address it asked for. */
    public static ArpMessage replyTo(ArpMessage request, MacAddress ownMac) {
        return new ArpMessage(REPLY, ownMac, request.targetProtocolAddress, request.senderHardwareAddress,
                request.senderProtocolAddress);
    }

    /** The message of a packet that parsed; it cannot throw, since parse() accepts only what the constructor does. */
    public static ArpMessage of(ArpPacket packet) {
        return new ArpMessage(packet.operation(), packet.senderHardwareAddress(), packet.senderProtocolAddress(),
                packet.targetHardwareAddress(), packet.targetProtocolAddress());
    }

    public boolean isGratuitous() {
        return senderProtocolAddress == targetProtocolAddress;
    }

    /** Bytes {@link #emit} writes: always {@link ArpPacket#LENGTH}; the NIC pads the frame, not the codec. */
    public int length() {
        return ArpPacket.LENGTH;
    }

    /** Writes exactly {@link #length()} bytes at {@code b[off]}. */
    public void emit(byte[] b, int off) {
        // arp_create(): struct arphdr for Ethernet/IPv4, then sender and target addresses.
        Objects.checkFromIndexSize(off, length(), b.length);
        writeShort(b, off + ArpPacket.HARDWARE_TYPE, ArpPacket.HARDWARE_TYPE_ETHERNET);
        writeShort(b, off + ArpPacket.PROTOCOL_TYPE, EtherType.IPV4);
        b[off + ArpPacket.HARDWARE_ADDRESS_LENGTH] = (byte) ArpPacket.HARDWARE_LENGTH;
        b[off + ArpPacket.PROTOCOL_ADDRESS_LENGTH] = (byte) ArpPacket.PROTOCOL_LENGTH;
        writeShort(b, off + ArpPacket.OPERATION, operation);
        senderHardwareAddress.write(b, off + ArpPacket.SENDER_HARDWARE_ADDRESS);
        writeInt(b, off + ArpPacket.SENDER_PROTOCOL_ADDRESS, senderProtocolAddress);
        targetHardwareAddress.write(b, off + ArpPacket.TARGET_HARDWARE_ADDRESS);
        writeInt(b, off + ArpPacket.TARGET_PROTOCOL_ADDRESS, targetProtocolAddress);
    }

    /** "10.0.2.1" for 0x0a000201: how addresses are shown in traces and tests. */
    public static String dottedQuad(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    /**
     * Reads "10.0.2.1" as 0x0a000201: four decimal octets 0..255, like inet_pton() (no octal, hex or short forms).
     *
     * @throws IllegalArgumentException quoting the text if it is anything else
     */
    public static int ipv4(String text) {
        Objects.requireNonNull(text, "IPv4 address text");
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) throw badIpv4(text);
        int address = 0;
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (octet.length() > 1 && octet.charAt(0) == '0')) {
                throw badIpv4(text);
            }
            int value = Integer.parseInt(octet);
            if (value > 255) throw badIpv4(text);
            address = (address << 8) | value;
        }
        return address;
    }

    /** Like tcpdump: "Request who-has 10.0.2.2 tell 10.0.2.1" or "Reply 10.0.2.2 is-at 52:54:00:12:34:56". */
    @Override
    public String toString() {
        if (operation == REQUEST) {
            return "Request who-has " + dottedQuad(targetProtocolAddress) + " tell "
                    + dottedQuad(senderProtocolAddress);
        }
        return "Reply " + dottedQuad(senderProtocolAddress) + " is-at " + senderHardwareAddress;
    }

    private static IllegalArgumentException badIpv4(String text) {
        return new IllegalArgumentException("not an IPv4 address: \"" + text + "\" (expected e.g. 10.0.2.1)");
    }


}
