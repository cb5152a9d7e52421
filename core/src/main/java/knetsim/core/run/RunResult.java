package knetsim.core.run;

import java.util.List;
import java.util.SortedMap;
import knetsim.core.serial.CrossJvm;

/**
 * What a finished run reports. {@code digest} is the SHA-256 of every LP's event trace combined in
 * LP-id order: equal digests mean the runs processed the same events in the same order.
 * {@code counters} and {@code reports} are every LP's final counters and reports, by LP id; each LP's
 * counters are the arrays it handed over ({@link SortedCounters}), not a map built per LP.
 */
public record RunResult(String digest, long events, long lastEventTime, int partitions, int jvms,
                        long lookaheadLocalNs, long lookaheadGlobalNs, long rounds, long windows,
                        SortedMap<Integer, SortedCounters> counters,
                        SortedMap<Integer, List<CrossJvm>> reports) {}
