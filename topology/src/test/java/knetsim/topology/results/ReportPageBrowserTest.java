package knetsim.topology.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens report.html in headless Chromium, as a reader would: the page must render and every plot
 * must load from its relative path. Skipped only where Chromium is not installed (.ci/run installs it).
 */
class ReportPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 90;

    @TempDir
    Path tmp;

    @Test
    void pageRendersAndEveryPlotLoads() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM);
        Path results = tmp.resolve("results");
        List<SeriesPoint> series = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            series.add(new SeriesPoint(i * 50_000_000L, SeriesPoint.goodputSeries(SampleReports.FLOW), 1e7 + i * 1e5));
            series.add(new SeriesPoint(i * 50_000_000L, "r1.eth1:qdisc:backlog", (i % 7) * 1500));
        }
        RunReport dumbbell = SampleReports.dumbbell();
        RunReport report = new RunReport(dumbbell.summary(), dumbbell.counters(), dumbbell.drops(), dumbbell.flows(),
                series, List.of());
        Files.createDirectories(results);
        Files.writeString(results.resolve("topology.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\">"
                + "<rect width=\"200\" height=\"100\" fill=\"#1f77b4\"/></svg>\n");
        int plots = ResultsWriter.write(results, report).size();
        assertEquals(2, plots);
        String url = results.resolve("report.html").toUri().toString();

        Path screenshot = tmp.resolve("screenshot.png");
        chromium("--window-size=1280,2000", "--screenshot=" + screenshot, url);
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertTrue(image != null && image.getWidth() == 1280, "Chromium wrote no readable 1280-wide screenshot");
        assertTrue(distinctColours(image) > 10, "the screenshot is (nearly) a single colour");

        String dom = chromium("--window-size=1280,2000", "--dump-dom", "--virtual-time-budget=5000", url);
        assertTrue(dom.contains("id=\"summary\""), dom);
        // the answer first: the headline block comes before every table, the topology picture is shown
        assertTrue(dom.contains("id=\"headline\"") && dom.indexOf("id=\"headline\"") < dom.indexOf("<table"), dom);
        assertTrue(dom.contains("packets delivered"), dom);
        assertTrue(dom.contains("id=\"topology\""), dom);
        Matcher width = Pattern.compile("data-page-width=\"(\\d+)\"").matcher(dom);
        assertTrue(width.find(), dom);
        assertTrue(Integer.parseInt(width.group(1)) <= 1280, "the page fits a 1280 px window: " + width.group(1));
        Matcher loaded = Pattern.compile("data-images-loaded=\"(\\d+)\"").matcher(dom);
        assertTrue(loaded.find(), "the page's load script did not run:\n" + dom);
        assertEquals(plots + 1, Integer.parseInt(loaded.group(1)), "plots and the topology picture that loaded");
    }

    /** Runs Chromium with a fresh profile, bounded in time; returns what it printed on stdout. */
    private String chromium(String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        Path stdout = tmp.resolve("chromium.out");
        Path stderr = tmp.resolve("chromium.err");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = builder.start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                kill(process);
                throw new AssertionError("Chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command
                        + "\n" + read(stderr));
            }
            assertEquals(0, process.exitValue(), () -> "Chromium failed: " + command + "\n" + read(stderr));
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            if (process.isAlive()) {
                kill(process);
            }
            deleteTree(profile);
        }
    }

    /** Ends this Chromium and the renderer and zygote processes it started, each by its own pid. */
    private static void kill(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.toHandle().descendants().toList();
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        children.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
