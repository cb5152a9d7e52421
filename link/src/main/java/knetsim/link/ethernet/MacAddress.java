package knetsim.link.ethernet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A 48-bit Ethernet address held in a {@code long}, so switch tables and neighbour entries compare and hash it
 * without allocating or copying six bytes.
 */
public final class MacAddress implements Comparable<MacAddress> {
    public static final int LENGTH = 6; // ETH_ALEN

    private static final long MASK = 0xffff_ffff_ffffL;
    // Bits of the first octet: I/G (group) and U/L (locally administered), IEEE 802 section 8.2.
    private static final int GROUP_BIT = 0x01;
    private static final int LOCAL_BIT = 0x02;
    // "02:00:5e:10:00:01" is 6 octets of 2 digits and 5 separators.
    private static final int TEXT_LENGTH = 3 * LENGTH - 1;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    public static final MacAddress BROADCAST = new MacAddress(MASK);
    public static final MacAddress ZERO = new MacAddress(0);

    private final long bits;

    private MacAddress(long bits) {
        this.bits = bits;
    }

    /** The address whose first octet is the most significant of the 48 low bits of {@code bits}. */
    public static MacAddress of(long bits) {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException(String.format("0x%x does not fit in 48 bits", bits));
        }
        return new MacAddress(bits);
    }

    /**
     * Parses {@code 02:00:5e:10:00:01}, in either case and with {@code :} or {@code -} (not mixed) between the
     * octets. Like the kernel's mac_pton() it takes exactly two hex digits per octet and nothing around them.
     *
     * @throws IllegalArgumentException quoting the text if it is anything else
     */
    public static MacAddress parse(String text) {
        Objects.requireNonNull(text, "MAC address text");
        if (text.length() != TEXT_LENGTH) throw badText(text);
        char separator = text.charAt(2);
        if (separator != ':' && separator != '-') throw badText(text);
        long bits = 0;
        for (int i = 0; i < LENGTH; i++) {
            int at = 3 * i;
            int high = hexDigit(text.charAt(at));
            int low = hexDigit(text.charAt(at + 1));
            if (high < 0 || low < 0) throw badText(text);
            if (i < LENGTH - 1 && text.charAt(at + 2) != separator) throw badText(text);
            bits = (bits << 8) | (high << 4) | low;
        }
        return new MacAddress(bits);
    }

    /** Reads the six octets at {@code b[off..off+5]}, first octet first, as they are on the wire. */
    public static MacAddress read(byte[] b, int off) {
        return new MacAddress(bitsAt(b, off));
    }

    /** The 48 address bits at {@code off}, without allocating: per-frame code (filters, bridges) uses this. */
    public static long bitsAt(byte[] b, int off) {
        Objects.checkFromIndexSize(off, LENGTH, b.length);
        long bits = 0;
        for (int i = 0; i < LENGTH; i++) {
            bits = (bits << 8) | (b[off + i] & 0xff);
        }
        return bits;
    }

    /** The I/G bit of 48 address bits: group (multicast, broadcast) addresses are never a single station. */
    public static boolean isGroup(long bits) {
        return (bits & 0x0100_0000_0000L) != 0;
    }

    /**
     * A locally administered unicast address that depends only on the two names: the first six bytes of
     * SHA-256(UTF-8 of node + '\0' + iface), with the U/L bit set and the I/G bit cleared as eth_random_addr()
     * does. It is the same on every JVM and in every run, so traces and pcaps of a topology never change.
     *
     * @throws IllegalArgumentException if a name contains '\0', which would make two pairs of names collide
     */
    public static MacAddress derived(String node, String iface) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(iface, "iface");
        if (node.indexOf('\0') >= 0 || iface.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a node or interface name must not contain NUL: \""
                    + node.replace("\0", "\\0") + "\", \"" + iface.replace("\0", "\\0") + "\"");
        }
        byte[] digest = sha256((node + '\0' + iface).getBytes(StandardCharsets.UTF_8));
        digest[0] = (byte) (LOCAL_BIT | (digest[0] & 0xfc));
        return read(digest, 0);
    }

    /** Writes the six octets to {@code b[off..off+5]}, first octet first. */
    public void write(byte[] b, int off) {
        Objects.checkFromIndexSize(off, LENGTH, b.length);
        for (int i = 0; i < LENGTH; i++) {
            b[off + i] = (byte) (bits >>> (8 * (LENGTH - 1 - i)));
        }
    }

    /** The 48 bits, first octet most significant. */
    public long toLong() {
        return bits;
    }

    private int firstOctet() {
        return (int) (bits >>> 40);
    }

    /** is_broadcast_ether_addr() */
    public boolean isBroadcast() {
        return bits == MASK;
    }

    /** is_multicast_ether_addr(): the I/G bit, so broadcast counts as multicast too. */
    public boolean isMulticast() {
        return (firstOctet() & GROUP_BIT) != 0;
    }

    /** is_unicast_ether_addr() */
    public boolean isUnicast() {
        return !isMulticast();
    }

    /** is_local_ether_addr(): the U/L bit, set on addresses not assigned by a vendor's OUI. */
    public boolean isLocallyAdministered() {
        return (firstOctet() & LOCAL_BIT) != 0;
    }

    /** is_zero_ether_addr(): the "no address" of an unresolved neighbour or an ARP request's target. */
    public boolean isZero() {
        return bits == 0;
    }

    @Override
    public int compareTo(MacAddress other) {
        // Both are non-negative 48-bit values, so numeric order is the order of the octets on the wire.
        return Long.compare(bits, other.bits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress other && other.bits == bits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bits);
    }

    /** Lower-case, colon-separated, as {@code ip link} prints it. */
    @Override
    public String toString() {
        char[] text = new char[TEXT_LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int octet = (int) (bits >>> (8 * (LENGTH - 1 - i))) & 0xff;
            text[3 * i] = HEX[octet >>> 4];
            text[3 * i + 1] = HEX[octet & 0xf];
            if (i < LENGTH - 1) text[3 * i + 2] = ':';
        }
        return new String(text);
    }

    // ASCII only: Character.digit() would also accept full-width and other Unicode digits.
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    private static IllegalArgumentException badText(String text) {
        return new IllegalArgumentException("not a MAC address: \"" + text + "\" (expected e.g. 02:00:5e:10:00:01)");
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's javadoc), so this cannot happen.
            throw new AssertionError("SHA-256 unavailable", e);
        }
    }
}
