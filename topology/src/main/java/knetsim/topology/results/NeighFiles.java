package knetsim.topology.results;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * neigh.csv (every neighbour state transition, what {@code ip monitor neigh} shows) and neigh.txt (each node's
 * table at the end of the run, as {@code ip neigh} prints it), streamed row by row (docs/results.md).
 */
public final class NeighFiles {
    public static final String[] COLUMNS = {"time_ns", "node", "interface", "address", "lladdr", "from", "to"};

    private NeighFiles() {}

    /**
     * {@code transitions}: rows of COLUMNS, in the order to write them (neigh.csv.gz with --compress, like every
     * CSV); {@code table}: "NODE: ENTRY" lines (neigh.txt, always plain text).
     */
    public static void write(Path dir, Iterator<String[]> transitions, Iterator<String> table, ResultsWriter.Options options)
            throws IOException {
        ResultsWriter.csv(dir, "neigh.csv", options, COLUMNS, csv -> {
            while (transitions.hasNext()) csv.row(transitions.next());
        });
        ResultFiles.writeAtomically(ResultFiles.inside(dir, "neigh.txt"), out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            while (table.hasNext()) w.append(table.next()).append('\n');
            w.flush();
        });
    }

    /** Node names as people read them (h2 before h10). */
    public static int compareNames(String a, String b) {
        return Csv.NATURAL.compare(a, b);
    }
}
