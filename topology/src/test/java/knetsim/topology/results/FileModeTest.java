package knetsim.topology.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results files get the mode the umask gives any new file (0644 under umask 022), not mkstemp's 0600. */
class FileModeTest {
    @TempDir
    Path tmp;

    // this JVM's umask, as a child shell inherits it
    private static int umask() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", "umask").start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        p.waitFor();
        return Integer.parseInt(text, 8);
    }

    private static int mode(Path file) throws IOException {
        int mode = 0;
        for (PosixFilePermission bit : Files.getPosixFilePermissions(file)) mode |= 1 << (8 - bit.ordinal());
        return mode;
    }

    @Test
    void everyResultsFileHasTheUmasksMode() throws Exception {
        int expected = 0666 & ~umask();
        ResultsWriter.write(tmp, SampleReports.dumbbell());
        List<Path> files;
        try (Stream<Path> all = Files.walk(tmp)) {
            files = all.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.size() >= 8, files.toString());
        for (Path f : files) {
            assertEquals(Integer.toOctalString(expected), Integer.toOctalString(mode(f)), f.toString());
            assertTrue(!f.getFileName().toString().endsWith(".tmp"), "no temporary file left: " + f);
        }
        if (umask() == 0022) {
            assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Files.getPosixFilePermissions(tmp.resolve("summary.json")));
        }
        Set<PosixFilePermission> json = Files.getPosixFilePermissions(tmp.resolve("flows.csv"));
        assertTrue(json.contains(PosixFilePermission.OTHERS_READ) || (umask() & 04) != 0, "readable by others under umask 022");
    }
}
