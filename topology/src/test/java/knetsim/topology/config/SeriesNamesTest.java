package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import knetsim.topology.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recorded series must name a counter that the run keeps: a typo fails validate with the valid names listed. */
class SeriesNamesTest {
    static final String FILE = """
            duration = 1s
            hosts {
              h1 { interfaces { eth0 { ip = "10.0.0.1/24" } } }
              h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } }
            }
            links = [ { a = "h1.eth0", b = "h2.eth0", rate = 1Gbps, delay = 1ms } ]
            record { interval = 10ms, series = [ %s ] }
            """;

    @TempDir
    Path dir;

    private List<ConfigProblem> problems(String series) throws IOException {
        Path file = dir.resolve("s.conf");
        Files.writeString(file, FILE.formatted(series));
        return assertThrows(TopologyException.class, () -> TopologyLoader.load(file, List.of(), 1)).problems();
    }

    @Test
    void aMistypedCounterFailsValidateListingTheLayersNames() throws IOException {
        Path file = dir.resolve("typo.conf");
        Files.writeString(file, FILE.formatted("\"h1:icmp:IcmpInEchoRep\""));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute("validate", file.toString());
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(Main.BAD_INPUT, code, text);
        assertTrue(text.contains(":7: record.series[0]: \"IcmpInEchoRep\" is not a icmp counter (did you mean IcmpInEchoReps?)"),
                text);
        assertTrue(text.contains("valid icmp counters: IcmpInMsgs, ") && text.contains("IcmpInEchos"), text);
    }

    @Test
    void patternsAndLayersAreCheckedToo() throws IOException, TopologyException {
        assertTrue(problems("\"h1:icmp:*\"").get(0).message().startsWith("a counter cannot be a pattern"));
        assertTrue(problems("\"h1:tcpp:x\"").get(0).message().contains("valid layers: qdisc, tx, rx, softnet, ip"));
        assertTrue(problems("\"h1:qdisc:backlog\"").get(0).message().contains("per interface"));
        assertTrue(problems("\"h1.eth0:udp:UdpInDatagrams\"").get(0).message().contains("per node"));
        assertTrue(problems("\"h1:ip:IpInReceives:x\"").get(0).message().contains("three parts"));
        // a target pattern matches within a name, as documented; one that matches nothing is refused
        assertEquals(1, problems("\"x*:ip:IpInReceives\"").size());
        Path file = dir.resolve("ok.conf");
        Files.writeString(file, FILE.formatted("\"h*:ip:IpInReceives\", \"h*.eth0:qdisc:backlog\", \"h1.cpu0:softnet:processed\""));
        assertEquals(3, TopologyLoader.load(file, List.of(), 1).record().series().size());
    }

    @Test
    void nstatNamesIncludingTheIcmpMsgLineAreRecordable() {
        for (String ok : List.of("h1:icmp:IcmpMsgOutType8", "h1:icmp:IcmpMsgInType0", "h1:icmp:IcmpMsgInType255",
                "h1:icmp:IcmpOutMsgs", "h1:ip:IpExtInOctets", "h1:ip:IpOutTransmits", "h1:ip:IpOutDiscards",
                "h1:ip:IpExtInCEPkts")) {
            assertEquals(null, SeriesNames.problem(ok), ok);
        }
        assertTrue(SeriesNames.problem("h1:icmp:IcmpMsgOutType256").startsWith("\"IcmpMsgOutType256\" is not a icmp counter"));
        // the pre-nstat name points at the new one
        assertTrue(SeriesNames.problem("h1:ip:IpInNoRoutes").contains("did you mean IpExtInNoRoutes?"),
                SeriesNames.problem("h1:ip:IpInNoRoutes"));
    }

    @Test
    void aHostsTcpCountersAreRecordableByNstatName() {
        for (String ok : List.of("h1:tcp:TcpRetransSegs", "h1:tcp:TcpExtTCPTimeouts", "h*:tcp:TcpExtTCPSackRecovery")) {
            assertEquals(null, SeriesNames.problem(ok), ok);
        }
        assertTrue(SeriesNames.problem("h1:tcp:TcpExtTCPTimeout").contains("did you mean TcpExtTCPTimeouts?"),
                SeriesNames.problem("h1:tcp:TcpExtTCPTimeout"));
        assertTrue(SeriesNames.problem("h1.eth0:tcp:TcpRetransSegs").contains("per node"));
    }

    /** Every SNMP-style counter the node module increments is in the catalogue, so none is refused by mistake. */
    @Test
    void theCatalogueHoldsEveryCounterTheStackKeeps() throws IOException {
        Pattern literal = Pattern.compile("(?:counter\\(|MibCounter\\([a-z]+, )\"((Ip|Icmp|Udp|Arp)[A-Za-z]+)\"");
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("..", "node", "src", "main", "java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = literal.matcher(Files.readString(f));
                while (m.find()) used.add(m.group(1));
            }
        }
        assertTrue(used.size() > 20, used.toString());
        for (String name : used) {
            String layer = name.startsWith("Ip") ? "ip" : name.startsWith("Icmp") ? "icmp" : name.startsWith("Udp") ? "udp" : "arp";
            assertTrue(SeriesNames.COUNTERS.get(layer).contains(name), name + " is missing from SeriesNames." + layer);
        }
    }
}
