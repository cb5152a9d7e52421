package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TopologyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress counts the events every LP executes, so its lines never exceed, and its last equals, the summary's count. */
class ProgressCountTest {
    @TempDir
    Path dir;

    @Test
    void progressAndSummaryCountTheSameEvents() throws Exception {
        Topology topology = TopologyLoader.load(Path.of("..", "configs", "lossy-wan.conf"), List.of("duration=1500ms"), 1);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        var outcome = new TopologyRun().run(topology, "lossy-wan.conf",
                new TopologyRun.Settings(1, dir, out, false, true, p -> {}));
        long events = ((Number) outcome.report().summary().get("events")).longValue();
        Matcher m = Pattern.compile("progress (\\d+)% .* events (\\d+) ").matcher(text.toString(StandardCharsets.UTF_8));
        long last = -1;
        int lines = 0;
        while (m.find()) {
            long n = Long.parseLong(m.group(2));
            assertTrue(n <= events, "a progress line counts " + n + ", more than the run's " + events);
            assertTrue(n >= last, "the count never goes back");
            last = n;
            lines++;
        }
        assertTrue(lines >= 1, text.toString(StandardCharsets.UTF_8));
        assertEquals(events, last, "the last progress line and the summary agree");
        assertTrue(events > 50_000, "lossy-wan runs 1 s of traffic");
        // what the live lines read: every LP's executed events, not only the events LPs sent one another
        assertEquals(events, knetsim.core.run.RunProgress.events());
    }
}
