package knetsim.node.script;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import knetsim.node.socket.Errno;

/**
 * One process's strace-like log: rows are kept in full chunks of {@link SyscallChunk#MAX_ROWS} as they come and
 * handed over at the end of the run (the engine has no channel for reports during a run).
 */
public final class SyscallTrace {
    private final String process;
    private final List<SyscallChunk> full = new ArrayList<>();
    private int n;
    private long[] times = new long[16], durations = new long[16], results = new long[16];
    private String[] calls = new String[16], arguments = new String[16], errnos = new String[16], details = new String[16];

    public SyscallTrace(String process) {
        this.process = process;
    }

    /** A call made at {@code time} that returned {@code duration} later with {@code outcome}. */
    public void add(long time, long duration, String call, String args, Outcome outcome) {
        add(time, duration, call, args, outcome.value(), outcome.errno(), outcome.details());
    }

    public void add(long time, long duration, String call, String args, long result, int errno, String detail) {
        if (n == times.length) grow();
        times[n] = time;
        durations[n] = duration;
        calls[n] = call;
        arguments[n] = args;
        results[n] = result;
        errnos[n] = errno == 0 ? "" : Errno.name(errno);
        details[n] = detail;
        if (++n == SyscallChunk.MAX_ROWS) {
            full.add(chunk());
            n = 0;
        }
    }

    private void grow() {
        int size = Math.min(SyscallChunk.MAX_ROWS, times.length * 2);
        times = Arrays.copyOf(times, size);
        durations = Arrays.copyOf(durations, size);
        results = Arrays.copyOf(results, size);
        calls = Arrays.copyOf(calls, size);
        arguments = Arrays.copyOf(arguments, size);
        errnos = Arrays.copyOf(errnos, size);
        details = Arrays.copyOf(details, size);
    }

    private SyscallChunk chunk() {
        return new SyscallChunk(process, Arrays.copyOf(times, n), Arrays.copyOf(durations, n), Arrays.copyOf(calls, n),
                Arrays.copyOf(arguments, n), Arrays.copyOf(results, n), Arrays.copyOf(errnos, n), Arrays.copyOf(details, n));
    }

    /** Every row so far, in chunks. */
    public List<SyscallChunk> chunks() {
        List<SyscallChunk> all = new ArrayList<>(full);
        if (n > 0) all.add(chunk());
        return all;
    }
}
