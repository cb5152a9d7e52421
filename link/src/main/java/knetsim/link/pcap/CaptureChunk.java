package knetsim.link.pcap;

import knetsim.core.serial.CrossJvm;

/**
 * Part of one device's capture, as an LP hands it back at the end of a run. Chunks are small so
 * each fits one Artery frame; the run merges every chunk of a device in {@link CaptureRecord#ORDER}.
 */
public record CaptureChunk(String device, CaptureRecord[] records) implements CrossJvm {
    /** Records per chunk: 128 full-size frames stay under 200 KiB. */
    public static final int MAX_RECORDS = 128;

    /** Splits a capture into chunks of at most {@link #MAX_RECORDS}. */
    public static java.util.List<CaptureChunk> split(String device, java.util.List<CaptureRecord> records) {
        java.util.List<CaptureChunk> chunks = new java.util.ArrayList<>();
        for (int from = 0; from < records.size(); from += MAX_RECORDS) {
            int to = Math.min(records.size(), from + MAX_RECORDS);
            chunks.add(new CaptureChunk(device, records.subList(from, to).toArray(new CaptureRecord[0])));
        }
        return chunks;
    }
}
