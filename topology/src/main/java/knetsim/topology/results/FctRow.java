package knetsim.topology.results;

/**
 * One connection of a tcp-flows workload (fct.csv): {@code flow} is its sender's row in flows.csv, {@code source}
 * and {@code destination} its ends; {@code startNs} the arrival (socket() called), {@code fctNs} the flow completion
 * time (from the arrival to the server's FIN, once every byte was read), {@code idealNs} the same flow alone on
 * the path (two base RTTs plus its bytes at the bottleneck rate), {@code slowdown} = fct / ideal. Times of an
 * unfinished flow are NaN; {@code error} is the errno name that ended it early, or "".
 */
public record FctRow(String flow, String source, String destination, long sizeBytes, long startNs, double fctNs,
                     double idealNs, double slowdown, boolean finished, long retransSegs, String error) {}
