package knetsim.core.engine;

import knetsim.core.serial.CrossJvm;

/** Samples of one recorded time series from one LP: {@code values[i]} at virtual time {@code times[i]}. */
public record SeriesChunk(String series, long[] times, double[] values) implements CrossJvm {
    /** Points per chunk: keeps each report well under Artery's frame size. */
    public static final int MAX_POINTS = 4096;
}
