package knetsim.node.ipv4;

import java.util.Objects;

/**
 * One route as {@code ip route} shows it (a fib_alias with its fib_info), immutable so a lookup result can be
 * handed to another actor; the constructor refuses what the kernel's fib_table_insert() refuses about a prefix.
 */
public record Route(Ipv4Address destination, int prefixLength, Ipv4Address gateway, int ifindex, String device,
                    int metric, Scope scope, Type type, Protocol protocol, Ipv4Address prefsrc, int mtu) {

    /** {@code ip route} types; the reject ones carry the errno fib_props[] gives them. */
    public enum Type {
        UNICAST("unicast", null),
        LOCAL("local", null),
        BROADCAST("broadcast", null),
        UNREACHABLE("unreachable", "EHOSTUNREACH"),
        PROHIBIT("prohibit", "EACCES"),
        BLACKHOLE("blackhole", "EINVAL");

        private final String keyword;
        private final String errno;

        Type(String keyword, String errno) {
            this.keyword = keyword;
            this.errno = errno;
        }

        /** True for the types whose lookup makes the sender fail rather than transmit. */
        public boolean rejects() {
            return errno != null;
        }

        /** The errno a sender gets when its lookup ends on this type, or null when it transmits. */
        public String errno() {
            return errno;
        }

        @Override
        public String toString() {
            return keyword;
        }
    }

    /** rtm_scope; the numbers order scopes as the kernel compares them (a larger scope is narrower). */
    public enum Scope {
        UNIVERSE(0, "global"),
        LINK(253, "link"),
        HOST(254, "host");

        private final int value;
        private final String keyword;

        Scope(int value, String keyword) {
            this.value = value;
            this.keyword = keyword;
        }

        /** RT_SCOPE_* as in rtnetlink.h. */
        public int value() {
            return value;
        }

        @Override
        public String toString() {
            return keyword;
        }
    }

    /** rtm_protocol: who installed the route; {@code ip route add} says BOOT unless told otherwise. */
    public enum Protocol {
        BOOT("boot"),
        KERNEL("kernel"),
        STATIC("static");

        private final String keyword;

        Protocol(String keyword) {
            this.keyword = keyword;
        }

        @Override
        public String toString() {
            return keyword;
        }
    }

    public Route {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(protocol, "protocol");
        // the name is only built for an error: routing = auto gives a router thousands of routes
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32: " + name(destination, prefixLength));
        }
        // fib_table_insert(): "Invalid prefix for given prefix length" when any bit past the prefix is set.
        if ((destination.bits() & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("Invalid prefix for given prefix length: " + name(destination, prefixLength));
        }
        if (metric < 0) throw new IllegalArgumentException("metric must not be negative: " + name(destination, prefixLength));
        if (mtu < 0) throw new IllegalArgumentException("mtu must not be negative: " + name(destination, prefixLength));
        if (ifindex < 0) throw new IllegalArgumentException("ifindex must not be negative: " + name(destination, prefixLength));
        if ((ifindex == 0) != (device == null)) {
            throw new IllegalArgumentException("ifindex and device name go together: " + name(destination, prefixLength));
        }
        if (type.rejects()) {
            // Reject routes have no nexthop at all: the kernel neither stores nor dumps a gateway or device.
            if (gateway != null || ifindex != 0) {
                throw new IllegalArgumentException(type + " route takes no gateway or device: " + name(destination, prefixLength));
            }
        } else if (ifindex == 0 && (gateway == null || type != Type.UNICAST)) {
            throw new IllegalArgumentException(type + " route needs a device: " + name(destination, prefixLength));
        }
    }

    private static String name(Ipv4Address destination, int prefixLength) {
        return destination + "/" + prefixLength;
    }

    /** {@code ip route add DEST/LEN via GATEWAY [dev DEV] metric METRIC}; ifindex 0 lets the table pick the device. */
    public static Route via(Ipv4Address destination, int prefixLength, Ipv4Address gateway, int ifindex,
                            String device, int metric) {
        Objects.requireNonNull(gateway, "gateway");
        return new Route(destination, prefixLength, gateway, ifindex, device, metric, Scope.UNIVERSE, Type.UNICAST,
                Protocol.BOOT, null, 0);
    }

    /** {@code ip route add DEST/LEN dev DEV metric METRIC}: iproute2 gives a gateway-less unicast route scope link. */
    public static Route direct(Ipv4Address destination, int prefixLength, int ifindex, String device, int metric) {
        return new Route(destination, prefixLength, null, ifindex, device, metric, Scope.LINK, Type.UNICAST,
                Protocol.BOOT, null, 0);
    }

    /** {@code ip route add unreachable|prohibit|blackhole DEST/LEN metric METRIC}. */
    public static Route reject(Type type, Ipv4Address destination, int prefixLength, int metric) {
        if (!type.rejects()) throw new IllegalArgumentException("not a reject type: " + type);
        return new Route(destination, prefixLength, null, 0, null, metric, Scope.UNIVERSE, type, Protocol.BOOT,
                null, 0);
    }

    public Route withMtu(int newMtu) {
        return new Route(destination, prefixLength, gateway, ifindex, device, metric, scope, type, protocol, prefsrc,
                newMtu);
    }

    public Route withPrefsrc(Ipv4Address newPrefsrc) {
        return new Route(destination, prefixLength, gateway, ifindex, device, metric, scope, type, protocol,
                newPrefsrc, mtu);
    }

    Route withDevice(int newIfindex, String newDevice) {
        return new Route(destination, prefixLength, gateway, newIfindex, newDevice, metric, scope, type, protocol,
                prefsrc, mtu);
    }

    /** True when {@code address} falls inside this route's prefix. */
    public boolean matches(Ipv4Address address) {
        return (address.bits() & mask(prefixLength)) == destination.bits();
    }

    /** The netmask of a prefix length; Java shifts count mod 32, so /0 needs its own case. */
    static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** One line of {@code ip route show}: fields in iproute2's order, defaults (proto boot, scope global) left out. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (type != Type.UNICAST) s.append(type).append(' ');
        if (prefixLength == 0) {
            s.append("default");
        } else {
            s.append(destination);
            if (prefixLength != 32) s.append('/').append(prefixLength);
        }
        if (gateway != null) s.append(" via ").append(gateway);
        if (device != null) s.append(" dev ").append(device);
        if (protocol != Protocol.BOOT) s.append(" proto ").append(protocol);
        if (scope != Scope.UNIVERSE) s.append(" scope ").append(scope);
        if (prefsrc != null) s.append(" src ").append(prefsrc);
        if (metric != 0) s.append(" metric ").append(metric);
        if (mtu != 0) s.append(" mtu ").append(mtu);
        return s.toString();
    }
}
