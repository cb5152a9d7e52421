package knetsim.node.app;

import knetsim.core.serial.CrossJvm;

/**
 * What ping prints at the end: requests transmitted, replies received, errors, and the round-trip
 * times of the replies in the order they came; {@code size} is the data bytes of each request (ping -s); {@code lines} are its output, line by line.
 */
public record PingReport(String process, String destination, int size, int transmitted, int received, int errors,
                         long[] rttNs, String[] lines) implements CrossJvm {
    public double lossRatio() {
        return transmitted == 0 ? 0 : 1.0 - (double) received / transmitted;
    }
}
