package knetsim.node.script;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/**
 * Runs parsed steps in order on a {@link ProcessContext}, as a single-threaded C program would: each call is made
 * when the one before has returned (a blocking call blocks in virtual time), a sleep sleeps, a descriptor name is
 * bound to what its call returned. Each result is compared with the step's expected one; a difference is a
 * {@link Mismatch}, and with {@code strict} the script stops at the first. Every call goes to the trace.
 */
public final class ScriptRunner {
    /** Step {@code step} (0-based) expected {@code expected} and got {@code got}. */
    public record Mismatch(int step, String expected, String got) {}

    private final List<Step> steps;
    private final boolean strict;
    private final SyscallTrace trace;
    private final Map<String, Long> names = new HashMap<>();
    private final Map<Long, Syscall.Protocol> protocols = new HashMap<>();
    private final List<Mismatch> mismatches = new ArrayList<>();
    private ProcessContext context;
    private int current = -1;
    private boolean stopped;
    private int echoSequence;

    public ScriptRunner(List<Step> steps, boolean strict, SyscallTrace trace) {
        this.steps = List.copyOf(steps);
        this.strict = strict;
        this.trace = trace;
    }

    public void start(ProcessContext context) {
        this.context = context;
        run(0);
    }

    private void run(int i) {
        current = i;
        if (i == steps.size()) return;
        long at = context.now();
        if (steps.get(i) instanceof Step.Sleep s) {
            context.sleep(s.ns(), () -> {
                if (trace != null) trace.add(at, context.now() - at, "sleep", durationText(s), 0, 0, "");
                run(i + 1);
            });
            return;
        }
        Step.Call step = (Step.Call) steps.get(i);
        Syscall call = syscall(step);
        context.call(call, result -> {
            Outcome outcome = outcome(step, call, result);
            if (trace != null) trace.add(at, context.now() - at, step.name(), argumentsText(step), outcome);
            if (step.assign() != null && outcome.value() >= 0) names.put(step.assign(), outcome.value());
            if (call instanceof Syscall.Socket s && outcome.value() >= 0) protocols.put(outcome.value(), s.protocol());
            if (call instanceof Syscall.Close c) protocols.remove((long) c.fd());
            String got = step.expected() == null ? null : compare(step.expected(), outcome);
            if (got != null) {
                mismatches.add(new Mismatch(i, "= " + step.expected(), got));
                if (strict) {
                    stopped = true;
                    return;
                }
            }
            run(i + 1);
        });
    }

    // what the C call becomes in the socket layer
    private Syscall syscall(Step.Call s) {
        List<Arg> a = s.args();
        return switch (s.name()) {
            case "socket" -> new Syscall.Socket(CallChecks.protocol(a, 0));
            case "bind" -> new Syscall.Bind(fd(a.get(0)), addr(a.get(1)).address(), addr(a.get(1)).port());
            case "connect" -> new Syscall.Connect(fd(a.get(0)), addr(a.get(1)).address(), addr(a.get(1)).port());
            case "listen" -> new Syscall.Listen(fd(a.get(0)), (int) num(a.get(1)));
            case "accept" -> new Syscall.Accept(fd(a.get(0)), false);
            case "accept4" -> new Syscall.Accept(fd(a.get(0)), (num(a.get(1)) & Constants.SOCK_NONBLOCK) != 0);
            case "send", "write" -> new Syscall.SendTo(fd(a.get(0)), null, 0, data(fd(a.get(0)), num(a.get(1))),
                    a.size() > 2 && dontwait(a.get(2)));
            case "sendto" -> new Syscall.SendTo(fd(a.get(0)), addr(a.get(3)).address(), addr(a.get(3)).port(),
                    data(fd(a.get(0)), num(a.get(1))), dontwait(a.get(2)));
            case "recv", "read", "recvfrom", "recvmsg" -> {
                Arg flags = a.size() > 2 || s.name().equals("recvmsg") ? a.get(a.size() - 1) : null;
                if (flags != null && (num(flags) & Constants.MSG_ERRQUEUE) != 0) yield new Syscall.RecvError(fd(a.get(0)));
                int length = s.name().equals("recvmsg") && a.size() == 2 ? 0 : (int) Math.min(Integer.MAX_VALUE, num(a.get(1)));
                yield new Syscall.Recv(fd(a.get(0)), length, flags != null && dontwait(flags));
            }
            case "shutdown" -> new Syscall.Shutdown(fd(a.get(0)), (int) num(a.get(1)));
            case "close" -> new Syscall.Close(fd(a.get(0)));
            case "setsockopt" -> a.get(2) instanceof Arg.Str str
                    ? new Syscall.SetSockOptName(fd(a.get(0)), CallChecks.option(a.get(1)), str.value())
                    : new Syscall.SetSockOpt(fd(a.get(0)), CallChecks.option(a.get(1)), (int) num(a.get(2)));
            case "getsockopt" -> new Syscall.GetSockOpt(fd(a.get(0)), CallChecks.option(a.get(1)));
            case "getsockname" -> new Syscall.GetSockName(fd(a.get(0)));
            case "fcntl" -> new Syscall.SetNonBlocking(fd(a.get(0)), (num(a.get(2)) & Constants.O_NONBLOCK) != 0);
            case "epoll_create", "epoll_create1" -> new Syscall.EpollCreate();
            case "epoll_ctl" -> new Syscall.EpollCtl(fd(a.get(0)), switch ((int) num(a.get(1))) {
                case 1 -> Syscall.EpollOp.ADD;
                case 2 -> Syscall.EpollOp.DEL;
                default -> Syscall.EpollOp.MOD;
            }, fd(a.get(2)), (int) num(a.get(3)));
            case "epoll_wait" -> new Syscall.EpollWait(fd(a.get(0)), (int) num(a.get(1)),
                    a.get(2) instanceof Arg.Dur d ? d.ns() : num(a.get(2)) < 0 ? -1 : num(a.get(2)) * 1_000_000);
            default -> throw new IllegalStateException("no system call for " + s.name());
        };
    }

    private Outcome outcome(Step.Call s, Syscall call, SyscallResult result) {
        long errqueueLength = 0;
        if (call instanceof Syscall.RecvError && s.args().size() == 3) errqueueLength = num(s.args().get(1));
        // ip_recv_error() copies the offending datagram from after its UDP header; a ping socket's from its ICMP header
        int payloadOffset = protocols.get((long) fdOf(call)) == Syscall.Protocol.UDP ? 8 : 0;
        return Outcome.of(call, result, errqueueLength, payloadOffset);
    }

    private int fdOf(Syscall call) {
        return call instanceof Syscall.RecvError r ? r.fd() : -1;
    }

    // null when the outcome is what the step expected; otherwise what it got
    private String compare(Step.Expected e, Outcome o) {
        boolean ok = e.value() == o.value() && (e.errno() == 0 || e.errno() == o.errno());
        List<String> wrong = new ArrayList<>();
        for (var f : e.fields().entrySet()) {
            Object want = resolve(f.getValue());
            Object have = o.fields().get(f.getKey());
            if (have == null) {
                wrong.add("no " + f.getKey());
            } else if (!Objects.equals(want, have)) {
                wrong.add(f.getKey() + " = " + Outcome.show(f.getKey(), have));
            }
        }
        if (ok && wrong.isEmpty()) return null;
        String got = "= " + o.value() + (o.errno() != 0 ? " " + knetsim.node.socket.Errno.name(o.errno()) : "");
        return wrong.isEmpty() ? got : got + " {" + String.join(", ", wrong) + "}";
    }

    // an expected field's value in the outcome's terms: Long, or String for addresses and names
    private Object resolve(Arg a) {
        if (a instanceof Arg.Num n) return n.value();
        if (a instanceof Arg.Flags f) return f.value();
        if (a instanceof Arg.Var v) return names.getOrDefault(v.name(), -1L);
        if (a instanceof Arg.Str s) return s.value();
        if (a instanceof Arg.Dur d) return d.ns();
        return a.toString();
    }

    // the payload a send writes: for a ping socket an ICMP echo request header (the kernel sets id and checksum)
    private byte[] data(int fd, long length) {
        byte[] data = new byte[(int) Math.min(length, 1 << 26)];
        if (protocols.get((long) fd) == Syscall.Protocol.ICMP && data.length >= 8) {
            data[0] = 8;
            int seq = ++echoSequence;
            data[6] = (byte) (seq >> 8);
            data[7] = (byte) seq;
        }
        return data;
    }

    private int fd(Arg a) {
        if (a instanceof Arg.Num n) return (int) n.value();
        return (int) (long) names.getOrDefault(((Arg.Var) a).name(), -1L); // a failed socket(): EBADF, as with fd -1
    }

    private static Arg.Addr addr(Arg a) {
        return (Arg.Addr) a;
    }

    private static long num(Arg a) {
        if (a instanceof Arg.Flags f) return f.value();
        return ((Arg.Num) a).value();
    }

    private static boolean dontwait(Arg flags) {
        return (num(flags) & Constants.MSG_DONTWAIT) != 0;
    }

    private String argumentsText(Step.Call s) {
        StringBuilder b = new StringBuilder();
        for (Arg a : s.args()) {
            if (b.length() > 0) b.append(", ");
            b.append(a instanceof Arg.Var v ? String.valueOf(names.getOrDefault(v.name(), -1L))
                    : a instanceof Arg.Dur d ? StraceFormat.timeout(d.ns()) : a.toString());
        }
        return b.toString();
    }

    private static String durationText(Step.Sleep s) {
        String t = s.text().strip();
        return t.substring(t.indexOf("sleep") + 5).strip();
    }

    /** Steps that completed (the index of the step running or blocked when the run ended). */
    public int completed() {
        return stopped ? current : Math.max(0, current);
    }

    /** Whether every step ran. */
    public boolean finished() {
        return current == steps.size();
    }

    /** Whether a strict script stopped at a mismatch. */
    public boolean stopped() {
        return stopped;
    }

    public List<Mismatch> mismatches() {
        return List.copyOf(mismatches);
    }
}
