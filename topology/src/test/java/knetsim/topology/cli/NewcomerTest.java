package knetsim.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a newcomer trips on: typos get suggestions, a missing file is one line, --duration names itself. */
class NewcomerTest {
    private record Result(int code, String out, String err) {}

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
    void typosGetSuggestions() {
        Result r = run("rnu", "x.conf");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("Did you mean: knetsim run?") && r.err().contains("Try 'knetsim --help'."), r.err());
        Result o = run("run", "--sed", "3", "../configs/ping.conf");
        assertTrue(o.err().contains("--seed"), o.err());
    }

    @Test
    void aMissingFileIsOneLineAndABadDurationNamesItsOption() {
        Result r = run("run", "nothere.conf");
        assertEquals(Main.BAD_INPUT, r.code());
        assertEquals("knetsim run: nothere.conf: no such file", r.err().strip());
        Result d = run("run", "../configs/ping.conf", "--duration", "10");
        assertEquals(Main.BAD_INPUT, d.code());
        assertTrue(d.err().startsWith("knetsim run: --duration: ") && !d.err().contains("--set"), d.err());
    }

    @Test
    void helpListsDebugAndTheExitCodesAndValidateCountsInTheRightNumber() {
        Result h = run("--help");
        assertTrue(h.out().contains("--debug") && h.out().contains("130 interrupted"), h.out());
        for (String line : h.out().split("\n")) assertTrue(line.length() <= 80, "not wrapped twice: " + line);
        Result v = run("validate", "../configs/lan.conf");
        assertTrue(v.out().contains(", 1 switch, ") && !v.out().contains("1 switches"), v.out());
        assertFalse(v.out().contains("\u001b"), "no escape codes when not a terminal");
    }
}
