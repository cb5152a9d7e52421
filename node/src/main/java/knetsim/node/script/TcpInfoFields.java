package knetsim.node.script;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import knetsim.node.tcp.TcpInfo;
import knetsim.node.tcp.TcpState;

/**
 * getsockopt(TCP_INFO)'s fields by their struct tcp_info names ({@code tcpi_snd_cwnd}, {@code tcpi_rtt} in
 * microseconds, {@code tcpi_state} as TCP_ESTABLISHED ...). Read once per checked step, so reflection is fine.
 */
final class TcpInfoFields {
    private TcpInfoFields() {}

    /** The struct's fields (TcpInfo's components up to rcvSsthresh; the rest are knetsim's statistics). */
    static final Map<String, RecordComponent> FIELDS = new LinkedHashMap<>();

    static {
        for (RecordComponent c : TcpInfo.class.getRecordComponents()) {
            if (c.getName().equals("congestionControl")) continue; // TCP_CONGESTION's, not tcp_info's
            FIELDS.put(structName(c.getName()), c);
            if (c.getName().equals("rcvSsthresh")) break;
        }
    }

    // sndCwnd -> tcpi_snd_cwnd, rttUs -> tcpi_rtt (tcp_info keeps microseconds without saying so)
    private static String structName(String component) {
        String base = component.endsWith("Us") ? component.substring(0, component.length() - 2) : component;
        return "tcpi_" + base.replaceAll("([A-Z])", "_$1").toLowerCase();
    }

    /** A field's value: a Long (states as their tcp_states.h number, booleans as 0/1) or a String (ca_state). */
    static Object value(TcpInfo info, String field) {
        try {
            Object v = FIELDS.get(field).getAccessor().invoke(info);
            if (v instanceof TcpState s) return (long) (s.ordinal() + 1);
            if (v instanceof Boolean b) return b ? 1L : 0L;
            if (v instanceof Number n) return n.longValue();
            return String.valueOf(v);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How a field prints: TCP_ESTABLISHED for tcpi_state, the number or string otherwise. */
    static String format(String field, Object value) {
        if (field.equals("tcpi_state") && value instanceof Long l) return Constants.name(Constants.Kind.TCP_STATE, l);
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
