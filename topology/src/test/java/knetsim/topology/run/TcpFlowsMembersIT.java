package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import knetsim.topology.cli.Main;
import knetsim.topology.results.ResultFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tcp-flows draws its arrivals and sizes from seeded streams: the same connections on 1 and 2 member JVMs. */
class TcpFlowsMembersIT {
    @TempDir
    Path dir;

    @Test
    void oneAndTwoMembersGiveTheSameFlows() throws IOException {
        Path file = dir.resolve("mice.conf");
        // members load the topology the launcher ships, which has no folder: the sizes file by its absolute path
        Files.writeString(file, TcpFlowsTest.FILE.replace("stop = 200ms", "stop = 40ms")
                .replace("duration = 1500ms", "duration = 200ms")
                .replace("\"sizes.cdf\"", "\"" + dir.resolve("sizes.cdf").toAbsolutePath() + "\""));
        Files.writeString(dir.resolve("sizes.cdf"), "1000 0\n20000 1\n");
        for (int members = 1; members <= 2; members++) {
            assertEquals(Main.OK, Main.execute("run", file.toString(), "--members", String.valueOf(members), "--out",
                    dir.resolve("m" + members).toString(), "--no-progress"));
        }
        assertEquals(ResultFiles.readJson(dir.resolve("m1/summary.json")).get("digest"),
                ResultFiles.readJson(dir.resolve("m2/summary.json")).get("digest"));
        for (String csv : List.of("fct.csv", "flows.csv", "flow_drops.csv")) {
            assertEquals(Files.readString(dir.resolve("m1").resolve(csv)), Files.readString(dir.resolve("m2").resolve(csv)), csv);
        }
        assertFalse(Files.readAllLines(dir.resolve("m1/fct.csv")).size() < 10, "connections arrived");
    }
}
