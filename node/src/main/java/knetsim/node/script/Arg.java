package knetsim.node.script;

import java.util.List;
import knetsim.node.ipv4.Ipv4Address;

/** An argument of a call, or a value in an expected result, as written. */
public sealed interface Arg {
    /** A number, possibly negative. */
    record Num(long value) implements Arg {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** A descriptor variable bound by an earlier {@code fd = socket(...)}. */
    record Var(String name) implements Arg {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Constants of one kind or-ed together (one constant is a list of one). */
    record Flags(Constants.Kind kind, List<String> names, long value) implements Arg {
        @Override
        public String toString() {
            return String.join("|", names);
        }
    }

    /** An IPv4 address with a port, or without one ({@code port} -1). */
    record Addr(Ipv4Address address, int port) implements Arg {
        @Override
        public String toString() {
            return port < 0 ? address.toString() : address + ":" + port;
        }
    }

    /** A double-quoted string (TCP_CONGESTION's name). */
    record Str(String value) implements Arg {
        @Override
        public String toString() {
            return "\"" + value + "\"";
        }
    }

    /** A duration (epoll_wait's timeout may be written 200ms). */
    record Dur(long ns) implements Arg {
        @Override
        public String toString() {
            return ns + "ns";
        }
    }
}
