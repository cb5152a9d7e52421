package knetsim.topology.config;

import knetsim.node.ipv4.Ipv4Address;

/** IPv4 bits helpers for the loader: prefixes, masks and text. */
final class Ipv4s {
    private Ipv4s() {
    }

    static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    static String text(int bits) {
        return Ipv4Address.of(bits).toString();
    }

    static String text(int bits, int prefixLength) {
        return text(bits) + "/" + prefixLength;
    }

    /** Parses "a.b.c.d/len" into {address, len}; throws IllegalArgumentException saying what was expected. */
    static int[] parsePrefix(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("expected address/prefix like \"10.0.1.2/24\", got \""
                + text + "\"");
        int len;
        try {
            len = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            len = -1;
        }
        if (len < 0 || len > 32) throw new IllegalArgumentException("expected a prefix length 0..32 in \""
                + text + "\"");
        return new int[] {parseAddress(text.substring(0, slash)), len};
    }

    static int parseAddress(String text) {
        try {
            return Ipv4Address.parse(text).bits();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected an IPv4 address like \"10.0.1.2\", got \"" + text + "\"");
        }
    }
}
