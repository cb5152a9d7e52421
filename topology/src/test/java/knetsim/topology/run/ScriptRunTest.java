package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import knetsim.link.pcap.PcapReader;
import knetsim.link.pcap.PcapRecord;
import knetsim.topology.cli.Main;
import knetsim.topology.results.ResultFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The script app through the CLI: syscalls.csv, the frames, a mismatch under strict (exit 1), bad steps in validate. */
class ScriptRunTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out, savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Result(Main.execute(args), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    void aConnectWithoutARouteIsEnetunreachAndCountsIpOutNoRoutes() throws IOException {
        // __ip4_datagram_connect() and tcp_v4_connect(): ip_route_connect() fails, IPSTATS_MIB_OUTNOROUTES, ENETUNREACH
        Path file = dir.resolve("noroute.conf");
        Files.writeString(file, String.join("\n", "seed = 1", "duration = 10ms",
                "hosts { h1 { interfaces { eth0 { ip = \"10.0.0.1/24\" } } }, h2 { interfaces { eth0 { ip = \"10.0.0.2/24\" } } } }",
                "links = [ { a = \"h1.eth0\", b = \"h2.eth0\", rate = 1Gbps, delay = 1ms } ]",
                "traffic = [ { app = script, on = h1, strict = true, steps = [",
                "  \"u = socket(AF_INET, SOCK_DGRAM, 0)\"", "  \"connect(u, 192.168.9.9:7) = -1 ENETUNREACH\"",
                "  \"t = socket(AF_INET, SOCK_STREAM, 0)\"", "  \"connect(t, 192.168.9.9:80) = -1 ENETUNREACH\"",
                "  \"connect(u, 10.0.0.2:7) = 0\"", "] } ]", ""));
        Path out = dir.resolve("noroute");
        Result r = cli("run", file.toString(), "--out", out.toString(), "--no-progress");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("every result as expected"), r.out());
        assertTrue(Files.readAllLines(out.resolve("counters.csv")).contains("h1,IpOutNoRoutes,2"), "one per failed connect");
    }

    @Test
    void theConnectedUdpScriptRunsAsLinuxAndIsLoggedLikeStrace() throws IOException {
        Path out = dir.resolve("out");
        Result r = cli("run", "../configs/script-udp.conf", "--out", out.toString(), "--no-progress");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("script h1/script-0: ran 11 steps, every result as expected"), r.out());
        List<String> rows = Files.readAllLines(out.resolve("syscalls.csv"));
        assertEquals("time_ns,node,process,call,arguments,result,errno,details,duration_ns", rows.get(0));
        assertEquals(12, rows.size());
        List<String> calls = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
            assertEquals("h1", f[1]);
            assertEquals("script-0", f[2]);
            calls.add(f[3] + " " + f[5] + (f[6].isEmpty() ? "" : " " + f[6]));
        }
        assertEquals(List.of("socket 3", "connect 0", "send 100", "sleep 0", "send -1 ECONNREFUSED", "send 100", "sleep 0",
                "recv -1 ECONNREFUSED", "recv -1 EAGAIN", "getsockopt 0", "close 0"), calls);
        assertTrue(rows.get(2).contains(",connect,\"3, 10.0.0.2:9\",0,,,"), rows.get(2));
        long first = Long.parseLong(rows.get(4).split(",")[0]), second = Long.parseLong(rows.get(5).split(",")[0]);
        assertEquals(200_000_000L, second - first, "the refused send comes 0.2 s after the sleep began");
        // the frames: two datagrams to port 9, each answered by a port unreachable; the refused send sent nothing
        List<String> frames = new ArrayList<>();
        for (PcapRecord p : PcapReader.readAll(out.resolve("pcap/h1.eth0.pcap"))) {
            byte[] f = p.frame();
            if (f[12] != 0x08 || f[13] != 0x00) continue;
            frames.add(f[23] == 17 ? "udp to " + (((f[36] & 0xff) << 8) | (f[37] & 0xff)) : "icmp " + f[34] + "/" + f[35]);
        }
        assertEquals(List.of("udp to 9", "icmp 3/3", "udp to 9", "icmp 3/3"), frames);
        Map<String, Object> summary = ResultFiles.readJson(out.resolve("summary.json"));
        assertEquals(11, ((Number) summary.get("syscalls")).intValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> script = ((List<Map<String, Object>>) summary.get("scripts")).get(0);
        assertEquals(List.of(), script.get("mismatches"));
        assertEquals(true, script.get("finished"));
    }

    @Test
    void aMismatchIsReportedAndAStrictScriptFailsTheRunNamingFileLineAndStep() throws IOException {
        String conf = Files.readString(Path.of("../configs/script-udp.conf"))
                .replace("\"send(fd, 100) = -1 ECONNREFUSED\"", "\"send(fd, 100) = 100\"");
        Path file = dir.resolve("mismatch.conf");
        Files.writeString(file, conf);
        int line = lineOf(conf, "\"send(fd, 100) = 100\"", 2);
        Result strict = cli("run", file.toString(), "--out", dir.resolve("a").toString(), "--no-progress");
        assertEquals(Main.RUN_FAILED, strict.code());
        String where = file + ":" + line;
        assertTrue(strict.err().contains("knetsim run: strict script h1/script-0 failed at " + where
                + ": step 5 \"send(fd, 100) = 100\": expected = 100, got = -1 ECONNREFUSED"), strict.err());
        assertTrue(strict.out().contains("stopped after step 4 of 11, 1 step with another result (strict: FAILED)"), strict.out());
        assertEquals(5, Files.readAllLines(dir.resolve("a/syscalls.csv")).size() - 1, "nothing ran after the failed step");

        Files.writeString(file, conf.replace("strict = true", "strict = false"));
        Result loose = cli("run", file.toString(), "--out", dir.resolve("b").toString(), "--no-progress");
        assertEquals(Main.OK, loose.code(), loose.err());
        assertTrue(loose.out().contains("ran 11 steps, 1 step with another result"), loose.out());
        assertTrue(loose.out().contains(where + ": step 5"), loose.out());
        assertFalse(loose.out().contains("FAILED"));
    }

    @Test
    void otherAppsCallsAreLoggedOnlyWhenTheFileAsks() throws IOException {
        Result lean = cli("run", "../configs/ping.conf", "--duration", "1500ms", "--out", dir.resolve("lean").toString(), "--no-progress");
        assertEquals(Main.OK, lean.code(), lean.err());
        assertFalse(Files.exists(dir.resolve("lean/syscalls.csv")), "no script, no syscalls = all: no log");
        Result all = cli("run", "../configs/ping.conf", "--duration", "1500ms", "--set", "syscalls=all",
                "--out", dir.resolve("all").toString(), "--no-progress");
        assertEquals(Main.OK, all.code(), all.err());
        List<String> rows = Files.readAllLines(dir.resolve("all/syscalls.csv"));
        assertTrue(rows.get(1).matches("\\d+,h1,ping-0,socket,\"AF_INET, SOCK_DGRAM, IPPROTO_ICMP\",3,,,\\d+"), rows.get(1));
        assertTrue(rows.stream().anyMatch(r -> r.contains(",ping-0,sendto,\"3, 64, 0, 10.0.0.2:0\",64,,,")), String.join("\n", rows));
        assertTrue(rows.stream().anyMatch(r -> r.contains(",ping-0,recvfrom,") && r.contains("{from = 10.0.0.2:0, ttl = 64}")),
                String.join("\n", rows));
    }

    // the line of the n-th (1-based) occurrence of text
    private static int lineOf(String conf, String text, int n) {
        String[] lines = conf.split("\n", -1);
        for (int i = 0; i < lines.length; i++) if (lines[i].contains(text) && --n == 0) return i + 1;
        throw new AssertionError(text);
    }

    @Test
    void validateNamesTheFileLineAndStepOfEveryBadStep() throws IOException {
        String conf = """
                duration = 1s
                hosts {
                  h1 { interfaces { eth0 { ip = "10.0.0.1/24" } } }
                  h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } }
                }
                links = [ { a = "h1.eth0", b = "h2.eth0", rate = 1Gbps, delay = 1ms } ]
                traffic = [
                  { app = script, on = h1, steps = [
                      "fd = socket(AF_INET, SOCK_DGRAM, 0)"
                      "conect(fd, 10.0.0.2:9)"
                      "send(fd)"
                      "setsockopt(fd, IP_RECVER, 1)"
                      "close(sock)"
                      "send(fd, 100) = 100 EAGAIN"
                      "sleep 2 s"
                      42
                  ] }
                  { app = script, on = h2, steps = [], stric = true }
                ]
                """;
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, conf);
        Result r = cli("validate", file.toString());
        assertEquals(Main.BAD_INPUT, r.code());
        String f = file.toString();
        for (String expected : List.of(
                f + ":10: traffic[0].steps[1]: step \"conect(fd, 10.0.0.2:9)\": column 1: unknown call \"conect\"",
                f + ":11: traffic[0].steps[2]: step \"send(fd)\": column 1: send takes 2 or 3 arguments",
                f + ":12: traffic[0].steps[3]: step \"setsockopt(fd, IP_RECVER, 1)\": column 16: unknown constant IP_RECVER",
                f + ":13: traffic[0].steps[4]: step \"close(sock)\": column 7: \"sock\" is not bound by an earlier step",
                f + ":14: traffic[0].steps[5]: step \"send(fd, 100) = 100 EAGAIN\": column 17: an errno follows only a result of -1",
                f + ":15: traffic[0].steps[6]: step \"sleep 2 s\": column 7: expected a duration like 200ms after sleep",
                f + ":16: traffic[0].steps[7]: expected a step as a string like \"close(fd)\", got 42",
                f + ":18: traffic[1].steps: a script needs at least one step",
                f + ":18: traffic[1].stric: unknown key, did you mean \"strict\"?")) {
            assertTrue(r.err().contains(expected), "missing: " + expected + "\n" + r.err());
        }
    }
}
