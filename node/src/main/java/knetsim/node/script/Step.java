package knetsim.node.script;

import java.util.List;
import java.util.Map;

/** One parsed step of a script: a system call with its expected result, or a sleep. */
public sealed interface Step {
    /** The step as written. */
    String text();

    /** {@code sleep 200ms}: clock_nanosleep(). */
    record Sleep(long ns, String text) implements Step {}

    /**
     * {@code [assign =] name(args) [= expected]}: {@code assign} names the descriptor the call returns (null:
     * none); {@code expected} is null when the step states no result.
     */
    record Call(String assign, Signatures.Signature signature, List<Arg> args, Expected expected, String text)
            implements Step {
        public String name() {
            return signature.name();
        }
    }

    /**
     * The result a step expects: the return value, the errno when it is -1 (0: none stated) and the fields of what
     * the call filled in ({@code {ee_errno = ECONNREFUSED}}), by name, in the order written.
     */
    record Expected(long value, int errno, Map<String, Arg> fields) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(Long.toString(value));
            if (errno != 0) s.append(' ').append(knetsim.node.socket.Errno.name(errno));
            if (!fields.isEmpty()) {
                s.append(" {");
                int i = 0;
                for (var e : fields.entrySet()) s.append(i++ > 0 ? ", " : "").append(e.getKey()).append(" = ").append(e.getValue());
                s.append('}');
            }
            return s.toString();
        }
    }
}
