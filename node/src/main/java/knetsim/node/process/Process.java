package knetsim.node.process;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.core.serial.CrossJvm;
import knetsim.node.HostMessage;
import knetsim.node.script.Outcome;
import knetsim.node.script.StraceFormat;
import knetsim.node.script.SyscallTrace;
import knetsim.node.socket.Fingerprint;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/**
 * A user-space process on a host: it runs an {@link Application} and talks to its host's kernel
 * only by system-call messages. Entering a call costs {@code syscallCost} (the message's delay to
 * the host); the host charges the return.
 */
public final class Process extends LogicalProcess {
    public sealed interface Message extends Payload permits SyscallReturn, Wake {}

    /** The kernel's answer to call {@code callId}. */
    public record SyscallReturn(long callId, SyscallResult result) implements Message {
        @Override
        public long fingerprint() {
            return callId * 1_000_003L + Fingerprint.of(result);
        }
    }

    /** Self event: the sleep {@code sleep} is over. */
    record Wake(long sleep) implements Message {
        @Override
        public long fingerprint() {
            return sleep;
        }
    }

    private final int hostLp;
    private final long syscallCost;
    private final String name;
    private final Application application;
    private long nextCallId;
    private long outstandingCall = -1;
    private Consumer<SyscallResult> onReturn;
    private long nextSleep;
    private long outstandingSleep = -1;
    private Runnable onWake;
    private SplittableRandom random;
    /** The strace-like log of every call (syscalls.csv), or null when this process's calls are not logged. */
    private final SyscallTrace trace;

    /** @param syscallCost time from the call to the kernel starting it; must be > 0 (it is the edge's delay) */
    public Process(int hostLp, long syscallCost, String name, Application application) {
        this(hostLp, syscallCost, name, application, false);
    }

    /** @param traced log every system call and its result for syscalls.csv */
    public Process(int hostLp, long syscallCost, String name, Application application, boolean traced) {
        if (syscallCost <= 0) throw new IllegalArgumentException("syscall cost must be > 0 (it bounds the lookahead)");
        this.hostLp = hostLp;
        this.syscallCost = syscallCost;
        this.name = name;
        this.application = application;
        this.trace = traced ? new SyscallTrace(name) : null;
    }

    private final ProcessContext context = new ProcessContext() {
        @Override
        public long now() {
            return Process.this.now();
        }

        @Override
        public void call(Syscall call, Consumer<SyscallResult> then) {
            busy();
            outstandingCall = nextCallId++;
            onReturn = trace == null ? then : traced(call, then);
            send(hostLp, syscallCost, new HostMessage.SystemCall(outstandingCall, call));
        }

        @Override
        public void sleep(long ns, Runnable then) {
            busy();
            if (ns < 0) throw new IllegalArgumentException("cannot sleep " + ns + " ns");
            outstandingSleep = nextSleep++;
            onWake = then;
            schedule(ns, new Wake(outstandingSleep));
        }

        @Override
        public SplittableRandom random() {
            return random;
        }

        @Override
        public String name() {
            return name;
        }
    };

    // strace: the call, its arguments and what it returned, when it was made and how long it took
    private Consumer<SyscallResult> traced(Syscall call, Consumer<SyscallResult> then) {
        long at = now();
        return result -> {
            trace.add(at, now() - at, StraceFormat.name(call), StraceFormat.args(call), Outcome.of(call, result, 0, 0));
            then.accept(result);
        };
    }

    private void busy() {
        if (outstandingCall >= 0) throw new IllegalStateException(name + " is already in system call " + outstandingCall);
        if (outstandingSleep >= 0) throw new IllegalStateException(name + " is asleep");
    }

    @Override
    protected void onStart() {
        random = random().split();
        application.start(context);
    }

    @Override
    protected void onEvent(Payload payload) {
        if (payload instanceof SyscallReturn r) {
            if (r.callId() != outstandingCall) throw new IllegalStateException(name + " got the return of call " + r.callId());
            Consumer<SyscallResult> then = onReturn;
            outstandingCall = -1;
            onReturn = null;
            then.accept(r.result());
        } else if (payload instanceof Wake w) {
            if (w.sleep() != outstandingSleep) throw new IllegalStateException(name + " woke from sleep " + w.sleep());
            Runnable then = onWake;
            outstandingSleep = -1;
            onWake = null;
            then.run();
        } else {
            throw new IllegalArgumentException("Process cannot handle " + payload.getClass().getSimpleName());
        }
    }

    @Override
    protected List<? extends CrossJvm> reports() {
        if (trace == null) return application.report(now());
        List<CrossJvm> all = new java.util.ArrayList<>(application.report(now()));
        all.addAll(trace.chunks());
        return all;
    }

    public Application application() {
        return application;
    }
}
