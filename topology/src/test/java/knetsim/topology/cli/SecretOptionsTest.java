package knetsim.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run key on the command line: a member needs it (or --insecure), and an unsafe key file is refused by name. */
class SecretOptionsTest {
    private record Result(int code, String out, String err) {}

    @TempDir
    Path dir;

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out, savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    void aMemberWithoutTheLaunchersKeyOrInsecureIsToldWhatToGive() {
        Result r = run("member", "--join", "127.0.0.1:1");
        assertEquals(Main.BAD_INPUT, r.code());
        assertEquals("knetsim member: give the launcher's key with --secret FILE (its 'waiting for' line names the"
                + " file), or --insecure when the launcher runs with --insecure", r.err().strip());
        Result both = run("member", "--join", "127.0.0.1:1", "--insecure", "--secret", dir.resolve("k.pem").toString());
        assertEquals(Main.BAD_INPUT, both.code());
        assertEquals("knetsim member: --secret and --insecure exclude each other", both.err().strip());
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedByTheMemberAndTheLauncher() throws Exception {
        Path key = dir.resolve("key.pem");
        knetsim.core.cluster.RunKey.generate().write(key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        Result m = run("member", "--join", "127.0.0.1:1", "--secret", key.toString());
        assertEquals(Main.BAD_INPUT, m.code());
        assertEquals("knetsim member: --secret: secret file " + key + " can be read or written by other users"
                + " (rw-r-----); make it yours alone: chmod 600 " + key, m.err().strip());
        Result l = run("run", "../configs/ping.conf", "--members", "2", "--listen", "127.0.0.1:0", "--secret",
                key.toString(), "--out", dir.resolve("out").toString());
        assertEquals(Main.BAD_INPUT, l.code());
        assertTrue(l.err().startsWith("knetsim run: --secret: secret file " + key + " can be read"), l.err());
    }

    @Test
    void aLauncherMakesAMissingKeyFileReadableOnlyByItsOwnerAndSecretNeedsListen() throws Exception {
        Path key = dir.resolve("new.pem");
        Result forked = run("run", "../configs/ping.conf", "--members", "2", "--secret", key.toString());
        assertEquals(Main.BAD_INPUT, forked.code());
        assertTrue(forked.err().startsWith("knetsim run: --secret applies only with --listen"), forked.err());
        String problem = MemberCommand.secretProblem(key, true, new java.io.PrintWriter(new ByteArrayOutputStream()));
        assertEquals(null, problem);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }
}
