package knetsim.node.script;

import java.util.LinkedHashMap;
import java.util.Map;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;
import knetsim.node.tcp.TcpInfo;

/**
 * A call's result as a C program sees it: the return value, errno (0 when none) and what it filled in (the
 * fields a step may check: Long or String values), with {@link #details} printing the fields as strace would.
 */
public record Outcome(long value, int errno, Map<String, Object> fields, String details) {
    /** Fields printed as constants of a kind, not as numbers. */
    private static final Map<String, Constants.Kind> NAMED = Map.of("ee_errno", Constants.Kind.ERRNO,
            "ee_origin", Constants.Kind.ORIGIN, "events", Constants.Kind.EPOLL_EVENTS, "tcpi_state", Constants.Kind.TCP_STATE);

    /** TCP_INFO fields shown in the log (all of them may be checked). */
    private static final java.util.List<String> SHOWN = java.util.List.of("tcpi_state", "tcpi_ca_state", "tcpi_rto",
            "tcpi_rtt", "tcpi_rttvar", "tcpi_snd_mss", "tcpi_snd_cwnd", "tcpi_snd_ssthresh", "tcpi_unacked",
            "tcpi_retrans", "tcpi_total_retrans", "tcpi_bytes_acked", "tcpi_bytes_received");

    /**
     * The outcome of {@code call}; {@code errqueueLength} is the buffer a recvmsg(MSG_ERRQUEUE) offered for the
     * offending datagram's payload ({@code payloadOffset}: where that payload starts in the quoted bytes).
     */
    public static Outcome of(Syscall call, SyscallResult r, long errqueueLength, int payloadOffset) {
        Map<String, Object> f = new LinkedHashMap<>();
        long value;
        int errno = 0;
        if (r instanceof SyscallResult.Failed failed) {
            value = -1;
            errno = failed.errno();
        } else if (r instanceof SyscallResult.Returned ret) {
            value = ret.value();
            if (call instanceof Syscall.GetSockOpt g) {
                value = 0; // getsockopt() returns 0 and writes the value
                f.put("value", ret.value());
                if (g.option() == Syscall.Option.SO_ERROR) return new Outcome(0, 0, f, "{value = "
                        + (ret.value() == 0 ? "0" : Errno.name((int) ret.value())) + "}");
                if (g.option() == Syscall.Option.IP_MTU_DISCOVER) return new Outcome(0, 0, f, "{value = "
                        + Constants.name(Constants.Kind.PMTUDISC, ret.value()) + "}");
            }
        } else if (r instanceof SyscallResult.Received d) {
            value = d.data().length;
            f.put("from", d.source() + ":" + d.port());
            f.put("ttl", (long) d.ttl());
        } else if (r instanceof SyscallResult.Read d) {
            value = d.data().length;
        } else if (r instanceof SyscallResult.ErrorReceived e) {
            int payload = Math.max(0, e.original().length - payloadOffset);
            value = Math.min(errqueueLength, payload);
            f.put("ee_errno", (long) e.errno());
            f.put("ee_origin", e.local() ? 1L : 2L);
            f.put("ee_type", (long) e.icmpType());
            f.put("ee_code", (long) e.icmpCode());
            f.put("ee_info", (long) e.info());
            f.put("offender", String.valueOf(e.offender()));
        } else if (r instanceof SyscallResult.SockName n) {
            value = 0;
            f.put("addr", n.address() + ":" + n.port());
        } else if (r instanceof SyscallResult.Accepted a) {
            value = a.fd();
            f.put("peer", a.address() + ":" + a.port());
        } else if (r instanceof SyscallResult.Ready ready) {
            value = ready.fds().length;
            if (ready.fds().length > 0) {
                f.put("fd", (long) ready.fds()[0]);
                f.put("events", (long) ready.events()[0]);
            }
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < ready.fds().length; i++) {
                s.append(i > 0 ? ", " : "").append("{fd = ").append(ready.fds()[i]).append(", events = ")
                        .append(Constants.flags(Constants.Kind.EPOLL_EVENTS, ready.events()[i])).append('}');
            }
            return new Outcome(value, 0, f, s.append(']').toString());
        } else if (r instanceof SyscallResult.SockOptName n) {
            value = 0;
            f.put("value", n.name());
        } else if (r instanceof SyscallResult.SockOptStruct st && st.value() instanceof TcpInfo info) {
            value = 0;
            for (String name : TcpInfoFields.FIELDS.keySet()) f.put(name, TcpInfoFields.value(info, name));
            StringBuilder s = new StringBuilder("{");
            for (String name : SHOWN) {
                s.append(s.length() > 1 ? ", " : "").append(name).append(" = ").append(TcpInfoFields.format(name, f.get(name)));
            }
            return new Outcome(value, 0, f, s.append(", ...}").toString());
        } else {
            value = 0;
        }
        return new Outcome(value, errno, f, details(f));
    }

    private static String details(Map<String, Object> f) {
        if (f.isEmpty()) return "";
        StringBuilder s = new StringBuilder("{");
        for (var e : f.entrySet()) {
            s.append(s.length() > 1 ? ", " : "").append(e.getKey()).append(" = ").append(show(e.getKey(), e.getValue()));
        }
        return s.append('}').toString();
    }

    /** A field's value as a step would write it: ECONNREFUSED for ee_errno, EPOLLIN|EPOLLOUT for events. */
    static String show(String field, Object v) {
        Constants.Kind kind = NAMED.get(field);
        if (kind != null && v instanceof Long l) {
            return kind == Constants.Kind.EPOLL_EVENTS ? Constants.flags(kind, l) : Constants.name(kind, l);
        }
        return v instanceof String s && !s.matches("[0-9.:]+") ? "\"" + s + "\"" : String.valueOf(v);
    }

    /** "= 100", "= -1 ECONNREFUSED", with the details. */
    public String render() {
        String s = "= " + value + (errno != 0 ? " " + Errno.name(errno) : "");
        return details.isEmpty() ? s : s + " " + details;
    }
}
