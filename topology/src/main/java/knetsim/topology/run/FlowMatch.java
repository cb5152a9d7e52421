package knetsim.topology.run;

import java.util.function.Predicate;

/** Which dropped packets belong to a flow, from the 5-tuple the drop site read. */
final class FlowMatch {
    private static final int ICMP = 1, TCP = 6, UDP = 17;
    private static final int ECHO_REPLY = 0, ECHO = 8;

    private FlowMatch() {}

    /** A UDP flow "a.b.c.d:p" -> "e.f.g.h:q": its datagrams (first fragments) in the sending direction. */
    static Predicate<DropAccounting.Attributed> udp(String source, String destination) {
        long[] s = endpoint(source), d = endpoint(destination);
        if (s == null || d == null) return a -> false;
        return a -> a.protocol() == UDP && a.source() == (int) s[0] && a.sourcePort() == s[1]
                && a.destination() == (int) d[0] && a.destinationPort() == d[1];
    }

    /**
     * A TCP connection "a.b.c.d:p" <-> "e.f.g.h:q": its segments in both directions (data and retransmissions,
     * SYN, ACKs, FIN), since a connection's ACKs are as much its packets as its data.
     */
    static Predicate<DropAccounting.Attributed> tcp(String source, String destination) {
        long[] s = endpoint(source), d = endpoint(destination);
        if (s == null || d == null || s[1] < 0 || d[1] < 0) return a -> false;
        int sa = (int) s[0], da = (int) d[0];
        return a -> a.protocol() == TCP && ((a.source() == sa && a.sourcePort() == s[1] && a.destination() == da
                && a.destinationPort() == d[1]) || (a.source() == da && a.sourcePort() == d[1] && a.destination() == sa
                && a.destinationPort() == s[1]));
    }

    /** The TCP connection of a drop as one key, whichever its direction (for matching many connections at once). */
    static String tcpKey(DropAccounting.Attributed a) {
        if (a.protocol() != TCP) return null;
        long x = ((long) a.source() << 16) | a.sourcePort(), y = ((long) a.destination() << 16) | a.destinationPort();
        return Math.min(x, y) + "-" + Math.max(x, y);
    }

    /** The same key from the two ends' "a.b.c.d:p" texts; null when one is not an address with a port. */
    static String tcpKey(String source, String destination) {
        long[] s = endpoint(source), d = endpoint(destination);
        if (s == null || d == null || s[1] < 0 || d[1] < 0) return null;
        long x = ((long) (int) s[0] << 16) | s[1], y = ((long) (int) d[0] << 16) | d[1];
        return Math.min(x, y) + "-" + Math.max(x, y);
    }

    /**
     * A ping from one of {@code sources} to {@code destination}: its echo requests and the replies. Two pings
     * between the same hosts share the drops (the first flow listed takes them): the echo id is not reported.
     */
    static Predicate<DropAccounting.Attributed> ping(int[] sources, String destination) {
        long[] d = endpoint(destination);
        if (d == null) return a -> false;
        int dst = (int) d[0];
        return a -> a.protocol() == ICMP && ((a.sourcePort() == ECHO && a.destination() == dst && isOneOf(a.source(), sources))
                || (a.sourcePort() == ECHO_REPLY && a.source() == dst && isOneOf(a.destination(), sources)));
    }

    private static boolean isOneOf(int address, int[] addresses) {
        for (int x : addresses) if (x == address) return true;
        return false;
    }

    // "10.0.0.1:5001" or "10.0.0.1" -> {address bits, port (or -1)}; null when it is not an address
    static long[] endpoint(String text) {
        int colon = text.lastIndexOf(':');
        String address = colon < 0 ? text : text.substring(0, colon);
        String[] octets = address.split("\\.");
        if (octets.length != 4) return null;
        long bits = 0;
        try {
            for (String o : octets) bits = (bits << 8) | Integer.parseInt(o);
            return new long[] {(int) bits, colon < 0 ? -1 : Integer.parseInt(text.substring(colon + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
