package knetsim.link.pcap;

import java.io.IOException;

/**
 * A file that is not a well-formed classic pcap file; the message says where and why, so a bad
 * capture is diagnosed from the message alone rather than from a buffer underflow deep inside.
 */
public class PcapFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public PcapFormatException(String message) {
        super(message);
    }
}
