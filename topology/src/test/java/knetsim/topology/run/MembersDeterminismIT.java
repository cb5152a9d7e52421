package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import knetsim.topology.cli.Main;
import knetsim.topology.results.ResultFiles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same file gives the same run on 1, 2 and 3 member JVMs: the same digest, the same counters,
 * drops and flows, and byte-identical captures. Members 2 and 3 are real JVMs forked on loopback.
 * Each member groups its machines into execution units its own way (by its cores), which must not
 * matter either.
 */
class MembersDeterminismIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    // campus-1000 is S4 of issue 14 (1021 machines, a scenario of several Artery frames), shortened
    @CsvSource({"routed.conf, 1s", "dumbbell.conf, 400ms", "campus-1000.conf, 50ms",
            "tcp-dumbbell.conf, 300ms", "bbr-vs-cubic.conf, 300ms", "bufferbloat.conf, 600ms", "datacenter.conf, 10ms"})
    void oneTwoAndThreeMembersGiveTheSameResults(String config, String duration) throws IOException {
        Path file = Path.of("..", "configs", config);
        Path[] out = new Path[3];
        for (int members = 1; members <= 3; members++) {
            out[members - 1] = dir.resolve("m" + members);
            int code = Main.execute("run", file.toString(), "--duration", duration, "--members", String.valueOf(members),
                    "--out", out[members - 1].toString(), "--no-progress");
            assertEquals(Main.OK, code, config + " with " + members + " members");
        }
        Map<String, Object> one = ResultFiles.readJson(out[0].resolve("summary.json"));
        for (int m = 1; m < 3; m++) {
            Map<String, Object> other = ResultFiles.readJson(out[m].resolve("summary.json"));
            assertEquals(one.get("digest"), other.get("digest"), config + ": digest with " + (m + 1) + " members");
            assertEquals(one.get("events"), other.get("events"));
            assertEquals(m + 1, ((Number) other.get("members")).intValue());
            assertFalse(((List<?>) other.get("cut")).isEmpty(), "some cable crosses members");
            for (String csv : List.of("counters.csv", "drops.csv", "flows.csv", "series.csv")) {
                assertEquals(Files.readString(out[0].resolve(csv)), Files.readString(out[m].resolve(csv)),
                        config + ": " + csv + " with " + (m + 1) + " members");
            }
            List<Path> pcaps = pcaps(out[0]);
            assertFalse(pcaps.isEmpty());
            assertEquals(pcaps.stream().map(Path::getFileName).toList(), pcaps(out[m]).stream().map(Path::getFileName).toList());
            for (Path pcap : pcaps) {
                assertArrayEquals(Files.readAllBytes(pcap), Files.readAllBytes(out[m].resolve("pcap").resolve(pcap.getFileName())),
                        config + ": " + pcap.getFileName() + " with " + (m + 1) + " members");
            }
        }
    }

    private static List<Path> pcaps(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("pcap"))) {
            return s.sorted().toList();
        }
    }
}
