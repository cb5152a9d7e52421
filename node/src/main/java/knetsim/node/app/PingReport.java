package knetsim.node.app;

import knetsim.core.serial.CrossJvm;

/**
 * What ping prints at the end: requests transmitted, replies received, errors, and the round-trip
 * times of the replies in the order they came; {@code size} is the data bytes of each request (ping -s); {@code lines} are its output, line by line;
 * {@code exitStatus} is ping's: 0 with a reply, 1 without, 2 when it could not start.
 */
public record PingReport(String process, String destination, int size, int transmitted, int received, int errors,
                         long[] rttNs, String[] lines, int exitStatus) implements CrossJvm, AppOutput {
    public double lossRatio() {
        return transmitted == 0 ? 0 : 1.0 - (double) received / transmitted;
    }
}
