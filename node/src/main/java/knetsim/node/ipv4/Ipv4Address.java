package knetsim.node.ipv4;

import java.util.Objects;

/**
 * A 32-bit IPv4 address held in an {@code int}, so routes and sockets compare and hash it without allocating;
 * per-packet code that must not allocate reads the bits with {@link #bitsAt} instead.
 */
public final class Ipv4Address implements Comparable<Ipv4Address> {
    public static final int LENGTH = 4;

    public static final Ipv4Address ANY = new Ipv4Address(0);              // INADDR_ANY
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xffffffff); // INADDR_BROADCAST

    private final int bits;

    private Ipv4Address(int bits) {
        this.bits = bits;
    }

    /** The address whose first octet is the most significant byte of {@code bits}. */
    public static Ipv4Address of(int bits) {
        return new Ipv4Address(bits);
    }

    /**
     * Parses a dotted quad such as {@code 10.0.1.2}: exactly four decimal octets of one to three digits, 0..255,
     * nothing around them (in4_pton() is as strict; inet_aton()'s shorthand forms like {@code 10.1} are refused).
     *
     * @throws IllegalArgumentException quoting the text if it is anything else
     */
    public static Ipv4Address parse(String text) {
        Objects.requireNonNull(text, "IPv4 address text");
        int bits = 0;
        int octets = 0;
        int at = 0;
        while (octets < LENGTH) {
            int start = at;
            int value = 0;
            while (at < text.length() && at - start < 3 && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                value = value * 10 + (text.charAt(at) - '0');
                at++;
            }
            if (at == start || value > 255) throw badText(text);
            bits = (bits << 8) | value;
            octets++;
            if (octets < LENGTH) {
                if (at >= text.length() || text.charAt(at) != '.') throw badText(text);
                at++;
            }
        }
        if (at != text.length()) throw badText(text);
        return new Ipv4Address(bits);
    }

    /** Reads the four octets at {@code b[off..off+3]}, network byte order. */
    public static Ipv4Address read(byte[] b, int off) {
        return new Ipv4Address(bitsAt(b, off));
    }

    /** The 32 address bits at {@code off}, without allocating. */
    public static int bitsAt(byte[] b, int off) {
        Objects.checkFromIndexSize(off, LENGTH, b.length);
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    /** Writes the four octets at {@code b[off..off+3]}, network byte order. */
    public void write(byte[] b, int off) {
        Objects.checkFromIndexSize(off, LENGTH, b.length);
        b[off] = (byte) (bits >>> 24);
        b[off + 1] = (byte) (bits >>> 16);
        b[off + 2] = (byte) (bits >>> 8);
        b[off + 3] = (byte) bits;
    }

    public int bits() {
        return bits;
    }

    /** Orders as unsigned numbers, so 10.0.0.1 sorts before 192.168.0.1 and both before 255.255.255.255. */
    @Override
    public int compareTo(Ipv4Address other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Address other && other.bits == bits;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(bits);
    }

    /** The dotted quad, as %pI4 prints it. */
    @Override
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }

    private static IllegalArgumentException badText(String text) {
        return new IllegalArgumentException("not a dotted-quad IPv4 address: \"" + text + "\"");
    }
}
