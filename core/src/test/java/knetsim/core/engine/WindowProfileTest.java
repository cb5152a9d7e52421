package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import knetsim.core.cluster.AkkaConfig;
import knetsim.core.cluster.ClusterRun;
import knetsim.core.run.RunResult;
import knetsim.core.selftest.SelftestScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window profile (bench/window-profile.py reads it) accounts for every event of a run, window by
 * window and group by group, in each partition, and a profiled run gives the unprofiled digest.
 */
class WindowProfileTest {
    static final SelftestScenario SCENARIO = SelftestScenario.withEvents(200, 40_000, 7);

    @Test
    void everyEventIsInTheProfileOfItsPartitionAndTheDigestIsUnchanged(@TempDir Path dir) throws Exception {
        UnitsOfScenario units = new UnitsOfScenario(SCENARIO, 5);
        String file = dir.resolve("wp").toString();
        var profiled = new ClusterRun.Options(2, 1).withOverrides(AkkaConfig.dispatcher(3, 100)
                .withFallback(ConfigFactory.empty().withValue(WindowProfile.SETTING, ConfigValueFactory.fromAnyRef(file))));
        RunResult result = ClusterRun.run(units, profiled);
        assertEquals(SequentialEngine.run(units).digest(), result.digest());
        assertTrue(result.windows() > 0, "the run had windows");

        long events = 0;
        for (int p = 0; p < 2; p++) {
            List<String> lines = Files.readAllLines(Path.of(file + ".p" + p));
            assertEquals("threads 3", lines.get(1));
            assertTrue(lines.get(2).startsWith("lookahead "));
            Map<Integer, Integer> groupLps = new HashMap<>();
            Set<Long> windows = new HashSet<>();
            Map<Integer, Long> lastHorizon = new HashMap<>();
            long partitionEvents = 0;
            for (String line : lines) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "group" -> groupLps.put(Integer.parseInt(f[1]), Integer.parseInt(f[3]));
                    case "W" -> {
                        assertTrue(windows.add(Long.parseLong(f[1])), "one line per window: " + line);
                        assertTrue(Long.parseLong(f[2]) >= 0, line);
                    }
                    case "G" -> {
                        int group = Integer.parseInt(f[1]);
                        long horizon = Long.parseLong(f[2]);
                        assertTrue(groupLps.containsKey(group), "a known group: " + line);
                        assertTrue(windows.contains(horizon), "a group's work lies in a window of its partition: " + line);
                        Long before = lastHorizon.put(group, horizon);
                        assertTrue(before == null || before < horizon, "a group's windows in time order: " + line);
                        assertTrue(Long.parseLong(f[4]) >= 0, line);
                        partitionEvents += Long.parseLong(f[3]);
                    }
                    default -> { }
                }
            }
            int lps = 0;
            for (int q : units.partitionOf(2)) if (q == p) lps++;
            assertEquals(lps, groupLps.values().stream().mapToInt(Integer::intValue).sum(),
                    "the groups of partition " + p + " hold its LPs");
            events += partitionEvents;
        }
        assertEquals(result.events(), events, "every event of the run is in one group's window");
    }
}
