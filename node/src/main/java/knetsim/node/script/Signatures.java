package knetsim.node.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The calls a script may make: each name's parameter lists, what it returns and the fields of its result. */
public final class Signatures {
    private Signatures() {}

    /** What a parameter or a result field takes. */
    enum Param {
        FD("a descriptor (a name bound by fd = socket(...), or a number)", null),
        INT("a number", null),
        ADDR("an address with a port like 10.0.0.2:9", null),
        HOST("an address like 10.0.0.2", null),
        OPTVAL("a number, a constant like IP_PMTUDISC_DO, or a string like \"cubic\"", null),
        TIMEOUT("a timeout in milliseconds (-1: none) or a duration like 200ms", null),
        DOMAIN(null, Constants.Kind.DOMAIN),
        TYPE(null, Constants.Kind.TYPE),
        PROTOCOL(null, Constants.Kind.PROTOCOL),
        OPTION(null, Constants.Kind.OPTION),
        ERRNO(null, Constants.Kind.ERRNO),
        MSG(null, Constants.Kind.MSG),
        SHUT(null, Constants.Kind.SHUT),
        EPOLL_OP(null, Constants.Kind.EPOLL_OP),
        EVENTS(null, Constants.Kind.EPOLL_EVENTS),
        FCNTL(null, Constants.Kind.FCNTL),
        FILE_FLAGS(null, Constants.Kind.FILE_FLAGS),
        SOCK_FLAGS(null, Constants.Kind.SOCK_FLAGS),
        ORIGIN(null, Constants.Kind.ORIGIN),
        STATE(null, Constants.Kind.TCP_STATE);

        final String expected;
        final Constants.Kind kind;

        Param(String expected, Constants.Kind kind) {
            this.expected = expected != null ? expected : kind.expected;
            this.kind = kind;
        }
    }

    /** One form of a call: its parameters, whether it returns a new descriptor, its result's fields. */
    public record Signature(String name, List<Param> params, boolean returnsFd, Map<String, Param> fields) {
        String usage() {
            List<String> p = new ArrayList<>();
            for (Param x : params) p.add(x.name().toLowerCase());
            return name + "(" + String.join(", ", p) + ")";
        }
    }

    private static final Map<String, List<Signature>> CALLS = new TreeMap<>();

    private static final Map<String, Param> RECEIVED = fields("from", Param.ADDR, "ttl", Param.INT);
    private static final Map<String, Param> ERRQUEUE = fields("ee_errno", Param.ERRNO, "ee_origin", Param.ORIGIN,
            "ee_type", Param.INT, "ee_code", Param.INT, "ee_info", Param.INT, "offender", Param.HOST, "from", Param.ADDR,
            "ttl", Param.INT);

    static {
        add("socket", true, Map.of(), Param.DOMAIN, Param.TYPE, Param.PROTOCOL);
        add("bind", false, Map.of(), Param.FD, Param.ADDR);
        add("connect", false, Map.of(), Param.FD, Param.ADDR);
        add("listen", false, Map.of(), Param.FD, Param.INT);
        add("accept", true, fields("peer", Param.ADDR), Param.FD);
        add("accept4", true, fields("peer", Param.ADDR), Param.FD, Param.SOCK_FLAGS);
        add("send", false, Map.of(), Param.FD, Param.INT);
        add("send", false, Map.of(), Param.FD, Param.INT, Param.MSG);
        add("write", false, Map.of(), Param.FD, Param.INT);
        add("sendto", false, Map.of(), Param.FD, Param.INT, Param.MSG, Param.ADDR);
        add("recv", false, RECEIVED, Param.FD, Param.INT);
        add("recv", false, RECEIVED, Param.FD, Param.INT, Param.MSG);
        add("read", false, RECEIVED, Param.FD, Param.INT);
        add("recvfrom", false, RECEIVED, Param.FD, Param.INT);
        add("recvfrom", false, RECEIVED, Param.FD, Param.INT, Param.MSG);
        add("recvmsg", false, ERRQUEUE, Param.FD, Param.MSG);
        add("recvmsg", false, ERRQUEUE, Param.FD, Param.INT, Param.MSG);
        add("shutdown", false, Map.of(), Param.FD, Param.SHUT);
        add("close", false, Map.of(), Param.FD);
        add("setsockopt", false, Map.of(), Param.FD, Param.OPTION, Param.OPTVAL);
        // getsockopt's value; TCP_INFO's fields are tcpi_* (TcpInfoFields)
        add("getsockopt", false, fields("value", Param.OPTVAL), Param.FD, Param.OPTION);
        add("getsockname", false, fields("addr", Param.ADDR), Param.FD);
        add("fcntl", false, Map.of(), Param.FD, Param.FCNTL, Param.FILE_FLAGS);
        add("epoll_create", true, Map.of(), Param.INT);
        add("epoll_create1", true, Map.of(), Param.INT);
        add("epoll_ctl", false, Map.of(), Param.FD, Param.EPOLL_OP, Param.FD, Param.EVENTS);
        add("epoll_wait", false, fields("fd", Param.FD, "events", Param.EVENTS), Param.FD, Param.INT, Param.TIMEOUT);
    }

    private static Map<String, Param> fields(Object... nameAndParam) {
        Map<String, Param> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndParam.length; i += 2) m.put((String) nameAndParam[i], (Param) nameAndParam[i + 1]);
        return m;
    }

    private static void add(String name, boolean returnsFd, Map<String, Param> fields, Param... params) {
        CALLS.computeIfAbsent(name, k -> new ArrayList<>()).add(new Signature(name, List.of(params), returnsFd, fields));
    }

    /** The forms of {@code name}; empty when there is no such call. */
    static List<Signature> of(String name) {
        return CALLS.getOrDefault(name, List.of());
    }

    /** Every call name, sorted. */
    public static List<String> names() {
        return List.copyOf(CALLS.keySet());
    }
}
