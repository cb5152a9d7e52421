package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each check against a bad file in src/test/resources/config/bad: file, line, key and message. */
class ValidationTest {
    static final Path BAD = Path.of("src", "test", "resources", "config", "bad");

    static List<ConfigProblem> problems(String name, int members, String... sets) {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.load(BAD.resolve(name), List.of(sets), members));
        return e.problems();
    }

    static List<ConfigProblem> problems(String name) {
        return problems(name, 1);
    }

    /** Asserts the problems are exactly these, in order: {line, key, message} each. */
    static void expect(String name, List<ConfigProblem> actual, Object[]... expected) {
        String all = actual.toString();
        assertEquals(expected.length, actual.size(), all);
        for (int i = 0; i < expected.length; i++) {
            ConfigProblem p = actual.get(i);
            assertEquals(BAD.resolve(name).toString(), p.file(), all);
            assertEquals(expected[i][0], p.line(), all);
            assertEquals(expected[i][1], p.key(), all);
            assertEquals(expected[i][2], p.message(), all);
        }
    }

    static Object[] at(int line, String key, String message) {
        return new Object[] {line, key, message};
    }

    @Test
    void udpSenderAndPingKeysAreCheckedAtTheirLines() {
        String mtu = "a path MTU discovery mode (IP_MTU_DISCOVER): one of ";
        expect("app-keys.conf", problems("app-keys.conf"),
                at(9, "traffic[1].bind", "10.0.0.2 is not an address of h1 (bind() would fail with EADDRNOTAVAIL)"),
                at(10, "traffic[2].port", "UDP port 5000 on h1 is already bound by traffic[0] (EADDRINUSE)"),
                at(11, "traffic[3].bind", "expected a port 0..65535 after the colon, got \"10.0.0.1:70000\""),
                at(12, "traffic[4].connected", "expected true or false, got \"maybe\""),
                at(13, "traffic[5].ttl", "expected an integer 1..255, got 0"),
                at(14, "traffic[6].tos", "expected an integer 0..255, got 256"),
                at(15, "traffic[7].pmtudisc", "unknown " + mtu + "do, dont, want, got \"probe\""),
                at(16, "traffic[8].recverr", "expected true or false, got 1"),
                at(17, "traffic[9].count", "expected an integer >= 0, got -1"),
                at(18, "traffic[10].burst", "expected an integer 1..1000000, got 0"),
                at(19, "traffic[11].interval", "give rate or interval, not both (interval: a burst every interval)"),
                at(20, "traffic[12].interval", "expected a duration > 0 like 10ms, got \"0\""),
                at(21, "traffic[13].timeout", "expected a duration > 0 like 10ms, got \"0\""),
                at(22, "traffic[14].pmtudisc", "unknown " + mtu + "do, dont, probe, want, got \"sometimes\""),
                at(23, "traffic[15].dont-fragment",
                        "give pmtudisc or dont-fragment, not both (dont-fragment = true is pmtudisc = do)"));
    }

    @Test
    void unknownKeysSuggestTheNearest() {
        expect("unknown-key.conf", problems("unknown-key.conf"),
                at(7, "trafic", "unknown key, did you mean \"traffic\"?"),
                at(3, "hosts.h1.interfaces.eth0.mtuu", "unknown key, did you mean \"mtu\"?"));
    }

    @Test
    void missingRequiredKeys() {
        expect("missing-key.conf", problems("missing-key.conf"),
                at(1, "duration", "missing, expected a duration like 10ms, 1.5us or 2s"),
                at(3, "hosts.h2.interfaces.eth0.ip", "missing, expected address/prefix like \"10.0.1.2/24\""),
                at(5, "links[0].delay", "missing, expected a duration like 10ms, 1.5us or 2s"));
    }

    @Test
    void wrongUnitsAndTypes() {
        expect("wrong-units.conf", problems("wrong-units.conf"),
                at(1, "duration", "expected a duration like 10ms, 1.5us or 2s, got \"10 parsecs\""),
                at(3, "hosts.h1.cpus", "expected an integer 1..1024, got \"two\""),
                at(6, "links[0].rate", "expected a rate like 1Gbps, 100Mbps or 64kbit, got \"1GBps\""));
    }

    @Test
    void duplicateAddresses() {
        expect("duplicate-ip.conf", problems("duplicate-ip.conf"), at(5, "hosts.h2.interfaces.eth0.ip",
                "address 10.0.0.1 is already used by hosts.h1.interfaces.eth0.ip"));
    }

    @Test
    void duplicateMacs() {
        expect("duplicate-mac.conf", problems("duplicate-mac.conf"), at(4, "hosts.h2.interfaces.eth0.mac",
                "MAC 02:00:00:00:00:07 is already used by hosts.h1.interfaces.eth0.mac"));
    }

    @Test
    void linkToMissingNodeOrInterface() {
        expect("missing-endpoint.conf", problems("missing-endpoint.conf"),
                at(7, "links[0].b", "no host or router named \"h3\""),
                at(8, "links[1].a", "\"h1\" has no interface \"eth1\" (eth0 10.0.0.0/24)"));
    }

    @Test
    void interfaceOnTwoLinks() {
        expect("interface-twice.conf", problems("interface-twice.conf"), at(9, "links[1].b",
                "interface h1.eth0 is already used by links[0]; an interface takes one link"));
    }

    @Test
    void overlappingSubnetsOnOneNode() {
        expect("overlapping-subnets.conf", problems("overlapping-subnets.conf"), at(6,
                "routers.r1.interfaces.eth1.ip", "subnet 10.0.5.0/24 overlaps eth0's 10.0.0.0/16 on the same node"));
    }

    @Test
    void gatewayOutsideItsSubnet() {
        expect("gateway-outside.conf", problems("gateway-outside.conf"), at(4, "hosts.h1.interfaces.eth0.gateway",
                "gateway 10.0.1.1 is outside eth0's subnet 10.0.0.0/24"));
    }

    @Test
    void routeViaMustBeOnAConnectedSubnet() {
        expect("route-via.conf", problems("route-via.conf"), at(6, "routers.r1.routes[0].via",
                "via 10.0.9.1 is not on a connected subnet (eth0 10.0.0.0/24)"));
    }

    @Test
    void zeroLinkDelay() {
        expect("zero-delay.conf", problems("zero-delay.conf"), at(8, "links[0].delay",
                "expected a delay > 0 like 1ms (it bounds the lookahead), got \"0\""));
    }

    @Test
    void zeroRate() {
        expect("zero-rate.conf", problems("zero-rate.conf"), at(6, "links[0].rate",
                "expected a rate > 0 like 100Mbps, got \"0bps\""));
    }

    @Test
    void unknownAppQdiscAndLossModel() {
        expect("unknown-kinds.conf", problems("unknown-kinds.conf"),
                at(8, "links[0].loss.model",
                        "unknown loss model: one of bernoulli, gilbert-elliott, none, got \"markov\""),
                at(7, "links[0].qdisc.kind", "unknown qdisc: one of bfifo, codel, fq, fq_codel, noqueue, pfifo, pfifo_fast, red, tbf, got \"cake\""),
                at(9, "traffic[0].app",
                        "unknown app: one of ping, script, tcp-bulk, tcp-flows, tcp-rr, tcp-sink, udp-cbr, udp-echo, udp-poisson, udp-sink, "
                                + "got \"quic-bulk\""));
    }

    @Test
    void tcpAppsNameTheirBadKeys() {
        expect("tcp-keys.conf", problems("tcp-keys.conf"),
                at(8, "traffic[1].cc", "no congestion control \"vegas\", expected one of bbr, cubic, dctcp, reno"),
                at(9, "traffic[2].duration", "give bytes or duration, not both (iperf3's -n or -t)"),
                at(10, "traffic[3].port", "TCP port 5201 on h2 is already bound by traffic[0] (EADDRINUSE)"),
                at(11, "traffic[4].name", "expected letters, digits, - or _ (it names series like h1:tcp:NAME:cwnd), "
                        + "got \"a b\""),
                at(12, "traffic[5].to", "expected a host or address with a port, like \"h4:9000\" or "
                        + "\"10.0.2.2:9000\", got \"h2\" (no port)"),
                at(13, "record.series[0]", "expected node:tcp:flow:metric with a metric of cwnd, ssthresh, srtt_us, "
                        + "delivery_rate_bps, pacing_rate_bps, bbr_bw_bps, bbr_min_rtt_us, bbr_pacing_gain, bbr_cwnd_gain, "
                        + "like \"h1:tcp:bulk:cwnd\", got \"h1:tcp:bulk:rtt\""));
    }

    @Test
    void qdiscParametersAndBqlAreChecked() {
        expect("qdisc-params.conf", problems("qdisc-params.conf"),
                at(10, "links[0].qdisc.flows", "expected an integer 1..65536, got 100000"),
                at(10, "links[0].qdisc.target", "expected a duration > 0 like 10ms, got \"0ms\""),
                at(9, "links[0].bql", "expected true or false, got \"maybe\""),
                at(12, "links[1].qdisc.quantum", "unknown key, expected one of avpkt, bandwidth, burst, ecn, harddrop,"
                        + " kind, limit, max, min, probability"),
                at(12, "links[1].qdisc.max", "red needs 0 < min <= max <= limit, got min 200000, max 100000, limit"
                        + " 400000"));
    }

    @Test
    void trafficNamingMissingHosts() {
        expect("traffic-names.conf", problems("traffic-names.conf"),
                at(8, "traffic[0].on", "no host or router named \"h9\""),
                at(9, "traffic[1].to", "no host or router named \"h7\""));
    }

    @Test
    void unreachableDestinationSaysWhereItStops() {
        expect("unreachable.conf", problems("unreachable.conf"), at(18, "traffic[0].to",
                "10.0.2.2 is unreachable from h1: stops at r1, which has no route to 10.0.2.2 (path h1 -> r1)"));
    }

    @Test
    void routingLoop() {
        expect("loop.conf", problems("loop.conf"), at(16, "traffic[0].to",
                "10.0.9.9 is unreachable from h1: routing loop (path h1 -> r1 -> r2 -> r1)"));
    }

    @Test
    void unreachableWithAutoRoutingToo() throws Exception {
        // The same file loads once routes are computed: auto routing fills r1's table.
        Topology t = TopologyLoader.load(BAD.resolve("unreachable.conf"), List.of("routing=auto"), 1);
        RouteSpec r = t.node("r1").allRoutes().get(0);
        assertEquals("10.0.2.0/24 via 10.0.0.2 dev eth1", Ipv4s.text(r.to(), r.prefixLength()) + " via "
                + Ipv4s.text(r.via()) + " dev " + r.dev());
    }

    @Test
    void capturePatternMatchingNothing() {
        expect("capture-nothing.conf", problems("capture-nothing.conf"), at(8, "capture[1]",
                "\"r9.*\" matches no interface of any host or router"));
    }

    @Test
    void placementOnAMissingMember() {
        expect("placement.conf", problems("placement.conf", 2), at(7, "placement.h2",
                "member index 5 does not exist: there are 2 members (0..1)"));
    }

    @Test
    void moreMembersThanNodes() {
        List<ConfigProblem> p = problems("placement.conf", 6);
        assertEquals(List.of(new ConfigProblem(BAD.resolve("placement.conf").toString(), 0, "members",
                "6 members but only 2 nodes to place; use at most 2")), p);
    }

    @Test
    void anInterfaceOnNoLink() {
        expect("unlinked-interface.conf", problems("unlinked-interface.conf"), at(3, "hosts.h1.interfaces.eth1",
                "interface h1.eth1 is on no link; add a link or remove the interface"));
    }

    @Test
    void gilbertElliottThatNeverMoves() {
        expect("ge-stuck.conf", problems("ge-stuck.conf"), at(7, "links[0].loss.r",
                "p and r cannot both be 0 for gilbert-elliott (p is good->bad, r is bad->good)"));
    }

    @Test
    void aPortBoundTwiceOnOneHostAndADatagramTooSmallForTheSequenceNumber() {
        List<ConfigProblem> found = problems("udp-ports.conf");
        String all = found.toString();
        assertEquals(2, found.size(), all);
        assertEquals("traffic[1].port", found.get(0).key(), all);
        assertEquals(9, found.get(0).line(), all);
        assertEquals("UDP port 9000 on h2 is already bound by traffic[0] (EADDRINUSE)", found.get(0).message());
        assertEquals("traffic[2].size", found.get(1).key(), all);
        assertEquals(10, found.get(1).line(), all);
    }

    @Test
    void severalProblemsComeOutTogether() {
        List<ConfigProblem> p = problems("several.conf");
        expect("several.conf", p,
                at(8, "colour", "unknown key, expected one of capture, capture-snaplen, duration, generate, hosts, links, placement, "
                        + "record, routers, routing, seed, switches, syscalls, traffic, vars"),
                at(6, "links[0].delay", "expected a delay > 0 like 1ms (it bounds the lookahead), got \"0\""),
                at(4, "hosts.h2.interfaces.eth0.ip", "address 10.0.0.1 is already used by hosts.h1.interfaces.eth0.ip"),
                at(7, "capture[0]", "\"x.*\" matches no interface of any host or router"));
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.load(BAD.resolve("several.conf"), List.of(), 1));
        assertEquals(4, e.getMessage().split("\n").length);
        assertTrue(e.getMessage().startsWith(BAD.resolve("several.conf") + ":8: colour: unknown key"));
    }

    @Test
    void syntaxErrorsHaveALine() {
        List<ConfigProblem> p = problems("syntax.conf");
        assertEquals(1, p.size(), p.toString());
        assertEquals("(syntax)", p.get(0).key());
        assertTrue(p.get(0).line() >= 4, p.toString());
    }

    @Test
    void generatorParametersAreChecked() {
        expect("bad-generate.conf", problems("bad-generate.conf"), at(4, "generate.k",
                "expected an even k (pods), got 3"));
    }

    @Test
    void malformedSetOverrides() {
        List<ConfigProblem> p = problems("placement.conf", 2, "seed", "duration=banana", "links=[");
        assertEquals(2, p.size(), p.toString());
        assertEquals(new ConfigProblem("--set", 1, "seed", "expected key=value like duration=2s, got \"seed\""),
                p.get(0));
        assertEquals("--set", p.get(1).file());
        assertEquals(3, p.get(1).line());
        assertEquals("links", p.get(1).key());
        assertTrue(p.get(1).message().startsWith("expected key=value with a HOCON value, got \"links=[\""));
        // A well-formed override whose value is wrong is reported against --set once the file parses.
        List<ConfigProblem> q = problems("placement.conf", 2, "duration=banana");
        assertTrue(q.contains(new ConfigProblem("--set", 1, "duration",
                "expected a duration like 10ms, 1.5us or 2s, got \"banana\"")), q.toString());
    }
}
