package knetsim.topology.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import knetsim.core.run.RunResult;
import knetsim.core.serial.CrossJvm;
import knetsim.link.pcap.CaptureChunk;
import knetsim.link.pcap.CaptureRecord;
import knetsim.topology.run.ReportAssembler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No results writer writes outside the results folder, whatever name reaches it. */
class ResultFilesTest {
    @TempDir
    Path tmp;

    @Test
    void insideRefusesAnyPathThatLeavesTheFolder() throws IOException {
        Path out = tmp.resolve("out");
        assertEquals(out.toAbsolutePath().resolve("pcap/h1.eth0.pcap"), ResultFiles.inside(out, "pcap/h1.eth0.pcap"));
        for (String bad : List.of("../x", "pcap/../../x", "/tmp/x", "", ".", "a/../..", "x\0y")) {
            IOException e = assertThrows(IOException.class, () -> ResultFiles.inside(out, bad), bad);
            assertTrue(e.getMessage().contains("outside the results folder"), e.getMessage());
        }
    }

    @Test
    void thePcapWriterRefusesADeviceNamedLikeAPath() throws IOException {
        Path out = tmp.resolve("a").resolve("out");
        CaptureRecord r = new CaptureRecord(0, 1, 0, new byte[60], 60);
        SortedMap<Integer, List<CrossJvm>> reports = new TreeMap<>();
        reports.put(1, List.of(new CaptureChunk("../../escaped", new CaptureRecord[] {r})));
        RunResult result = new RunResult("d", 1, 0, 1, 1, 1, 1, 1, 1, new TreeMap<>(), reports);
        IOException e = assertThrows(IOException.class, () -> ReportAssembler.writePcaps(out, result, knetsim.link.pcap.PcapWriter.SNAPLEN));
        assertTrue(e.getMessage().contains("outside the results folder"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("escaped.pcap")));
        assertFalse(Files.exists(tmp.resolve("a").resolve("escaped.pcap")));
    }
}
