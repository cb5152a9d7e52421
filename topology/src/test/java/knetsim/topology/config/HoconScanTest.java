package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files the HOCON parser cannot report well: deep nesting (a stack overflow) and includes of missing files. */
class HoconScanTest {
    @TempDir
    Path dir;

    static final String HEAD = "seed = 1\nduration = 1s\n";

    Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static List<ConfigProblem> problems(Path file, String... sets) {
        return assertThrows(TopologyException.class, () -> TopologyLoader.load(file, List.of(sets), 1)).problems();
    }

    @Test
    void threeThousandNestedObjectsAreRefusedAtTheLineThatGoesTooDeep() throws Exception {
        // line 3 opens vars (depth 1); the k-th "a {" is on line 3 + k at depth 1 + k, so depth 65 is on line 67
        Path f = write("deep.conf", HEAD + "vars {\n" + "a {\n".repeat(3000) + "}\n".repeat(3000) + "}\n");
        List<ConfigProblem> p = problems(f);
        assertEquals(List.of(new ConfigProblem(f.toString(), 67, "",
                "objects and lists nested more than 64 deep; a topology needs far fewer levels")), p);
        assertEquals(f + ":67: objects and lists nested more than 64 deep; a topology needs far fewer levels",
                p.get(0).toString());
    }

    @Test
    void twentyThousandNestedListsAreRefused() throws Exception {
        Path f = write("lists.conf", HEAD + "vars {\n  x = " + "[".repeat(20_000) + "]".repeat(20_000) + "\n}\n");
        assertEquals(4, problems(f).get(0).line());
    }

    @Test
    void nestingJustBelowTheLimitLoads() throws Exception {
        Path f = write("ok.conf", HEAD + "vars { x = " + "[".repeat(63) + "1" + "]".repeat(63) + " }\n");
        assertEquals(1, TopologyLoader.load(f, List.of(), 1).seed());
    }

    @Test
    void bracketsInStringsCommentsAndSubstitutionsDoNotCount() {
        String text = "a = \"" + "{".repeat(100) + "\"\n# " + "[".repeat(100) + "\n// " + "{".repeat(100)
                + "\nb = \"\"\"" + "[".repeat(100) + "\"\"\"\nc = ${a}\nd { e { } }\n";
        HoconScan.Result r = HoconScan.scan(text, 0);
        assertEquals(0, r.tooDeepAt());
        assertEquals(1, HoconScan.scan("x = " + "{".repeat(65), 0).tooDeepAt());
    }

    @Test
    void deepSetOverrideIsRefused() throws Exception {
        Path f = write("ok.conf", HEAD);
        ConfigProblem p = problems(f, "vars.x=" + "[".repeat(5000) + "]".repeat(5000)).get(0);
        assertEquals("--set", p.file());
        assertEquals(1, p.line());
        assertEquals("vars.x", p.key());
    }

    @Test
    void missingIncludeIsNamedAtItsOwnLineWithoutAJavaExceptionName() throws Exception {
        Path f = write("inc.conf", HEAD + "\ninclude \"missing-file.conf\"\n");
        List<ConfigProblem> p = problems(f);
        assertEquals(1, p.size(), p.toString());
        assertEquals(f + ":4: include \"missing-file.conf\" not found (looked in " + dir.toAbsolutePath() + ")",
                p.get(0).toString());
    }

    @Test
    void everyFormOfAMissingIncludeIsReported() throws Exception {
        Path f = write("forms.conf", HEAD + "include required(\"a.conf\")\ninclude file(\"b.conf\")\n"
                + "vars { include required( file( \"c\" ) ) }\n");
        List<ConfigProblem> p = problems(f);
        assertEquals(List.of(3, 4, 5), p.stream().map(ConfigProblem::line).toList(), p.toString());
        for (ConfigProblem q : p) {
            assertTrue(q.message().startsWith("include \""), q.toString());
            assertFalse(q.toString().contains("Exception"), q.toString());
        }
    }

    @Test
    void aMissingIncludeInsideAnIncludedFileNamesThatFile() throws Exception {
        Path inner = write("inner.conf", "# shared values\n\ninclude \"gone.conf\"\n");
        Path f = write("outer.conf", HEAD + "include \"inner.conf\"\n");
        assertEquals(List.of(new ConfigProblem(inner.toString(), 3, "", "include \"gone.conf\" not found (looked in "
                + dir.toAbsolutePath() + ")")), problems(f));
    }

    @Test
    void includedFilesAreReadAndTheirDepthAddsUp() throws Exception {
        write("values.conf", "seed = 9\n");
        Path f = write("main.conf", "include \"values\"\nduration = 1s\n");
        assertEquals(9, TopologyLoader.load(f, List.of(), 1).seed());
        write("deep-part.conf", "x = " + "[".repeat(40) + "]".repeat(40) + "\n");
        Path g = write("g.conf", HEAD + "vars { a { b { c { d { e { include \"deep-part\" } } } } } }\n");
        // 6 levels at the include plus 40 inside stay under the limit
        assertEquals(1, TopologyLoader.load(g, List.of(), 1).seed());
        write("deeper-part.conf", "x = " + "[".repeat(60) + "]".repeat(60) + "\n");
        Path h = write("h.conf", HEAD + "vars { a { b { c { d { e { include \"deeper-part\" } } } } } }\n");
        assertEquals(dir.resolve("deeper-part.conf").toAbsolutePath().toString(),
                Path.of(problems(h).get(0).file()).toAbsolutePath().toString());
    }

    @Test
    void aFileThatIncludesItselfIsRefused() throws Exception {
        Path f = write("self.conf", HEAD + "include \"self.conf\"\n");
        assertTrue(problems(f).get(0).message().contains("nested more than"), problems(f).toString());
    }

    @Test
    void urlIncludesAreNotFetched() throws Exception {
        Path f = write("url.conf", HEAD + "include url(\"http://192.0.2.1/x.conf\")\n");
        assertEquals(3, problems(f).get(0).line());
    }
}
