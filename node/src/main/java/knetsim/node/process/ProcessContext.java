package knetsim.node.process;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/**
 * What a process can do. It is single-threaded: it is either running, in one system call, or
 * asleep, so a second call or sleep before the first returns is a programming error.
 */
public interface ProcessContext {
    /** Virtual time now (clock_gettime(CLOCK_MONOTONIC) for the program). */
    long now();

    /** Makes a system call; {@code then} runs with its result when the kernel returns. */
    void call(Syscall call, Consumer<SyscallResult> then);

    /** clock_nanosleep(): {@code then} runs {@code ns} later. */
    void sleep(long ns, Runnable then);

    /** The process's own seeded random stream. */
    SplittableRandom random();

    /** The process's name, e.g. "h1/ping-0". */
    String name();
}
