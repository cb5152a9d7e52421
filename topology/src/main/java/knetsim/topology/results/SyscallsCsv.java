package knetsim.topology.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import knetsim.node.script.SyscallChunk;

/**
 * syscalls.csv: every logged process's system calls, like an strace log. Each process's rows come in the order it
 * made its calls; the file merges them by time, then process (natural order), streaming row by row.
 */
public final class SyscallsCsv {
    public static final String FILE = "syscalls.csv";
    static final String[] HEADER = {"time_ns", "node", "process", "call", "arguments", "result", "errno", "details",
            "duration_ns"};

    private SyscallsCsv() {}

    /** Writes DIR/syscalls.csv (.gz with --compress) when any process was logged; returns whether it did. */
    public static boolean write(Path dir, List<SyscallChunk> chunks, ResultsWriter.Options options) throws IOException {
        if (chunks.isEmpty()) return false;
        Map<String, List<SyscallChunk>> byProcess = new TreeMap<>(Csv.NATURAL);
        for (SyscallChunk c : chunks) byProcess.computeIfAbsent(c.process(), p -> new ArrayList<>()).add(c);
        List<Cursor> cursors = new ArrayList<>();
        int rank = 0;
        for (var e : byProcess.entrySet()) cursors.add(new Cursor(e.getValue(), rank++));
        ResultsWriter.csv(dir, FILE, options, HEADER, csv -> {
            PriorityQueue<Cursor> next = new PriorityQueue<>((a, b) -> a.time() != b.time()
                    ? Long.compare(a.time(), b.time()) : Integer.compare(a.rank, b.rank));
            for (Cursor c : cursors) if (c.valid()) next.add(c);
            while (!next.isEmpty()) {
                Cursor c = next.poll();
                SyscallChunk k = c.chunk();
                int i = c.row;
                String process = k.process();
                int slash = process.indexOf('/');
                csv.row(Long.toString(k.times()[i]), slash < 0 ? "" : process.substring(0, slash), process.substring(slash + 1),
                        k.calls()[i], k.arguments()[i], Long.toString(k.results()[i]), k.errnos()[i], k.details()[i],
                        Long.toString(k.durations()[i]));
                if (c.advance()) next.add(c);
            }
        });
        return true;
    }

    // one process's rows, in the order it made the calls (chunks in order; a process's time never goes back)
    private static final class Cursor {
        final List<SyscallChunk> chunks;
        final int rank;
        int chunk, row;

        Cursor(List<SyscallChunk> chunks, int rank) {
            this.chunks = chunks;
            this.rank = rank;
        }

        boolean valid() {
            while (chunk < chunks.size() && row >= chunks.get(chunk).size()) {
                chunk++;
                row = 0;
            }
            return chunk < chunks.size();
        }

        SyscallChunk chunk() {
            return chunks.get(chunk);
        }

        long time() {
            return chunks.get(chunk).times()[row];
        }

        boolean advance() {
            row++;
            return valid();
        }
    }
}
