package knetsim.core.run;

/**
 * What a finished run reports. {@code digest} is the SHA-256 of every LP's event trace combined in
 * LP-id order: equal digests mean the runs processed the same events in the same order.
 */
public record RunResult(String digest, long events, long lastEventTime, int partitions, int jvms,
                        long lookaheadLocalNs, long lookaheadGlobalNs, long rounds, long windows) {}
