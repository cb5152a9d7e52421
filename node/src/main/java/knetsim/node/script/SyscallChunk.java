package knetsim.node.script;

import knetsim.core.serial.CrossJvm;

/**
 * Rows of one process's system-call log (syscalls.csv), in the order it made them: when each call was made,
 * how long until it returned, its name and arguments as a script step writes them, the return value, errno
 * (empty when none) and what the call filled in.
 */
public record SyscallChunk(String process, long[] times, long[] durations, String[] calls, String[] arguments,
                           long[] results, String[] errnos, String[] details) implements CrossJvm {
    /** Rows per chunk: keeps each report well under Artery's frame size. */
    public static final int MAX_ROWS = 2048;

    public int size() {
        return times.length;
    }
}
