package knetsim.topology.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong wallNs = new AtomicLong(1_000_000_000_000L);

    @Test
    void plainModePrintsAtMostOneLineEveryTwoWallSecondsAndOneAtTheEnd() {
        Progress p = Progress.plain(10_000_000_000L, out, wallNs::get);
        advance(1.0);
        p.update(1_000_000_000L, 1_000_000);
        assertEquals(List.of(), lines(), "nothing before two wall seconds");
        advance(1.1);
        p.update(4_200_000_000L, 4_410_000);
        advance(1.0);
        p.update(5_000_000_000L, 5_000_000);
        assertEquals(List.of("progress 42% virtual 4.2s/10s events 4410000 (2.1M/s) wall 2.1s"), lines());
        advance(1.0);
        p.update(6_000_000_000L, 6_200_000);
        assertEquals("progress 60% virtual 6s/10s events 6200000 (1.5M/s) wall 4.1s", lines().get(1));
        advance(0.9);
        p.update(10_000_000_000L, 10_000_000);
        p.finish();
        p.finish();
        assertEquals(List.of("progress 42% virtual 4.2s/10s events 4410000 (2.1M/s) wall 2.1s",
                "progress 60% virtual 6s/10s events 6200000 (1.5M/s) wall 4.1s",
                "progress 100% virtual 10s/10s events 10000000 (2.0M/s) wall 5s"), lines());
    }

    @Test
    void shortRunsPrintOnlyTheFinalLine() {
        try (Progress p = Progress.plain(5_000_000L, out, wallNs::get)) {
            advance(0.2);
            p.update(2_500_000L, 999);
        }
        assertEquals(List.of("progress 50% virtual 2.5ms/5ms events 999 (5.0k/s) wall 200ms"), lines());
    }

    @Test
    void terminalModeDrawsABarWithoutFailing() {
        Progress p = Progress.start(2_000_000_000L, true, out);
        p.update(1_000_000_000L, 10);
        p.finish();
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(true, shown.contains("virtual time"), shown);
    }

    private void advance(double seconds) {
        wallNs.addAndGet((long) (seconds * 1e9));
    }

    private List<String> lines() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
    }
}
