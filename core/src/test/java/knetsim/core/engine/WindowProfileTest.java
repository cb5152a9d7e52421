package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import knetsim.core.cluster.AkkaConfig;
import knetsim.core.cluster.ClusterRun;
import knetsim.core.run.RunResult;
import knetsim.core.selftest.SelftestScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window profile (bench/window-profile.py reads it) accounts for every event of a run, Advance by
 * Advance and group by group, in each partition, and a profiled run gives the unprofiled digest.
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
            Map<Integer, List<Long>> advanced = new HashMap<>();  // each group's horizons, in the order given
            Map<Integer, List<Long>> ran = new HashMap<>();       // each group's horizons, as it ran them
            long partitionEvents = 0;
            long index = 0;
            List<Long> reported = new ArrayList<>();
            for (String line : lines) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "group" -> groupLps.put(Integer.parseInt(f[1]), Integer.parseInt(f[3]));
                    case "A" -> {
                        assertEquals(index++, Long.parseLong(f[1]), "Advances numbered in order: " + line);
                        int group = Integer.parseInt(f[2]);
                        assertTrue(groupLps.containsKey(group), "a known group: " + line);
                        assertTrue(Long.parseLong(f[3]) < Long.parseLong(f[4]), "an event before the horizon: " + line);
                        long trigger = Long.parseLong(f[5]);
                        assertTrue(trigger >= -1 && trigger < Long.parseLong(f[1]), "let go by an earlier Advance: " + line);
                        assertTrue(Long.parseLong(f[6]) >= 0, "reports taken before it: " + line);
                        advanced.computeIfAbsent(group, k -> new ArrayList<>()).add(Long.parseLong(f[4]));
                    }
                    case "R" -> {
                        reported.add(Long.parseLong(f[1]));
                        assertEquals(2 + groupLps.size(), f.length, "every group's earliest time after a report: " + line);
                    }
                    case "E" -> assertTrue(Long.parseLong(f[3]) > 0 && !f[1].equals(f[2]), "an edge between two groups: " + line);
                    case "G" -> {
                        ran.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(Long.parseLong(f[2]));
                        assertTrue(Long.parseLong(f[4]) >= 0, line);
                        partitionEvents += Long.parseLong(f[3]);
                    }
                    default -> { }
                }
            }
            assertTrue(index > 0, "partition " + p + " gave Advances");
            assertEquals(index, reported.size(), "every Advance reported back once");
            assertEquals(index, new java.util.HashSet<>(reported).size(), "every Advance reported back once");
            assertEquals(advanced, ran, "every group ran each Advance it was given, in order");
            for (List<Long> horizons : ran.values()) {
                for (int i = 1; i < horizons.size(); i++) assertTrue(horizons.get(i - 1) < horizons.get(i), "in time order");
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
