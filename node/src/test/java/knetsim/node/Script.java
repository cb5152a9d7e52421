package knetsim.node;

import java.util.ArrayList;
import java.util.List;
import knetsim.node.process.Application;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/**
 * A test program: a fixed list of system calls, each made as soon as the one before returned,
 * and {@link At} steps that sleep until an absolute time. Every call is recorded with its result,
 * when the program made it and when it returned.
 */
final class Script implements Application {
    /** Sleep until {@code time} (at once when it has passed). */
    record At(long time) {}

    record Done(Syscall call, SyscallResult result, long calledAt, long returnedAt) {}

    private final List<Object> steps;
    final List<Done> done = new ArrayList<>();
    private ProcessContext context;

    Script(Object... steps) {
        this(List.of(steps));
    }

    Script(List<?> steps) {
        for (Object s : steps) {
            if (!(s instanceof Syscall) && !(s instanceof At)) throw new IllegalArgumentException("not a step: " + s);
        }
        this.steps = List.copyOf(steps);
    }

    @Override
    public void start(ProcessContext context) {
        this.context = context;
        next(0);
    }

    private void next(int i) {
        if (i == steps.size()) return;
        if (steps.get(i) instanceof At at) {
            context.sleep(Math.max(0, at.time() - context.now()), () -> next(i + 1));
            return;
        }
        Syscall call = (Syscall) steps.get(i);
        long calledAt = context.now();
        context.call(call, result -> {
            done.add(new Done(call, result, calledAt, context.now()));
            next(i + 1);
        });
    }

    /** The i-th call's record. */
    Done get(int i) {
        return done.get(i);
    }

    SyscallResult result(int i) {
        return done.get(i).result();
    }

    static SyscallResult ok(long value) {
        return new SyscallResult.Returned(value);
    }

    static SyscallResult failed(int errno) {
        return new SyscallResult.Failed(errno);
    }
}
