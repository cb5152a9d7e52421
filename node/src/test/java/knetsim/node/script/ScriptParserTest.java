package knetsim.node.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.Errno;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ScriptParserTest {
    static final List<String> ISSUE_EXAMPLE = List.of(
            "fd = socket(AF_INET, SOCK_DGRAM, 0)",
            "setsockopt(fd, IP_RECVERR, 1)",
            "connect(fd, 10.0.0.2:9) = 0",
            "send(fd, 100) = 100",
            "sleep 200ms",
            "send(fd, 100) = -1 ECONNREFUSED",
            "recvmsg(fd, MSG_ERRQUEUE) = 0 {ee_errno = ECONNREFUSED, ee_type = 3, ee_code = 3}");

    @Test
    void theIssuesExampleParsesIntoTypedSteps() {
        ScriptParser.Parsed p = ScriptParser.parse(ISSUE_EXAMPLE);
        assertEquals(List.of(), p.problems());
        Step.Call socket = (Step.Call) p.steps().get(0);
        assertEquals("fd", socket.assign());
        assertEquals("socket", socket.name());
        assertNull(socket.expected());
        Step.Call connect = (Step.Call) p.steps().get(2);
        assertEquals(new Arg.Addr(Ipv4Address.parse("10.0.0.2"), 9), connect.args().get(1));
        assertEquals(new Step.Expected(0, 0, Map.of()), connect.expected());
        assertEquals(200_000_000L, ((Step.Sleep) p.steps().get(4)).ns());
        Step.Call refused = (Step.Call) p.steps().get(5);
        assertEquals(-1, refused.expected().value());
        assertEquals(Errno.ECONNREFUSED, refused.expected().errno());
        Step.Call err = (Step.Call) p.steps().get(6);
        assertEquals(List.of("ee_errno", "ee_type", "ee_code"), List.copyOf(err.expected().fields().keySet()));
        assertEquals(Errno.ECONNREFUSED, ((Arg.Flags) err.expected().fields().get("ee_errno")).value());
        assertEquals(new Arg.Num(3), err.expected().fields().get("ee_code"));
    }

    @Test
    void flagsOrTogetherAndNumbersMayBeHex() {
        Step.Call c = (Step.Call) ScriptParser.parseStep("epoll_ctl(4, EPOLL_CTL_ADD, 3, EPOLLIN | EPOLLOUT|EPOLLRDHUP)");
        assertEquals(0x2005L, ((Arg.Flags) c.args().get(3)).value());
        Step.Call l = (Step.Call) ScriptParser.parseStep("listen(3, 0x80)");
        assertEquals(new Arg.Num(128), l.args().get(1));
        Step.Call s = (Step.Call) ScriptParser.parseStep("setsockopt(3, TCP_CONGESTION, \"reno\") = 0");
        assertEquals(new Arg.Str("reno"), s.args().get(2));
        Step.Call w = (Step.Call) ScriptParser.parseStep("epoll_wait(4, 8, 1.5ms) = 1 {fd = 3, events = EPOLLIN}");
        assertEquals(new Arg.Dur(1_500_000), w.args().get(2));
    }

    @Test
    void durationsInEveryUnit() {
        assertEquals(7L, sleep("sleep 7ns"));
        assertEquals(10_000L, sleep("sleep 10us"));
        assertEquals(1_500_000_000L, sleep("sleep 1.5s"));
        assertEquals(250_000_000L, sleep("  sleep   0.25s "));
    }

    private static long sleep(String text) {
        return ((Step.Sleep) ScriptParser.parseStep(text)).ns();
    }

    @Test
    void badStepsSayWhatIsWrongAndWhere() {
        assertProblem("frobnicate(fd)", 1, "unknown call \"frobnicate\", expected one of accept,");
        assertProblem("send(3)", 1, "send takes 2 or 3 arguments (send(fd, int) or send(fd, int, msg)), got 1");
        assertProblem("close(3, 4)", 1, "close takes 1 argument (close(fd)), got 2");
        assertProblem("setsockopt(3, IP_TTLL, 1)", 15, "unknown constant IP_TTLL");
        assertProblem("setsockopt(3, MSG_DONTWAIT, 1)", 15, "argument 2 of setsockopt: expected a socket option like SO_RCVBUF, got MSG_DONTWAIT");
        assertProblem("send(3, 10) = 10 EAGAIN", 15, "an errno follows only a result of -1, got 10");
        assertProblem("send(3, 10) = -1 EFROB", 18, "unknown constant EFROB");
        assertProblem("send(3, 10) = -1 SO_RCVBUF", 18, "expected an errno like EAGAIN, got SO_RCVBUF");
        assertProblem("send(3, 10) = lots", 15, "expected the expected result: a number, or -1 and an errno, got \"lots\"");
        assertProblem("send(3, 10) = -2", 15, "a call returns -1 or a value >= 0, got -2");
        assertProblem("sleep 200", 7, "expected a duration like 200ms after sleep, got \"200\"");
        assertProblem("sleep 2h", 7, "bad duration \"2h\", expected a number with ns, us, ms or s like 200ms");
        assertProblem("sleep 1.5ns", 7, "bad duration 1.5ns: not a whole number of nanoseconds");
        assertProblem("sleep 200ms 5", 13, "unexpected \"5\" after the step");
        assertProblem("connect(3, 10.0.0.2)", 12, "argument 2 of connect: expected an address with a port like 10.0.0.2:9, got 10.0.0.2");
        assertProblem("connect(3, 10.0.0.2:70000)", 21, "expected a port 0..65535 after 10.0.0.2:, got \"70000\"");
        assertProblem("connect(3, 10.0.0.300:9)", 12, "bad address \"10.0.0.300\"");
        assertProblem("n = send(3, 1)", 1, "only socket, accept, accept4, epoll_create and epoll_create1 return a descriptor to name; send does not");
        assertProblem("recvmsg(3, MSG_ERRQUEUE) = 0 {ee_errnoo = 1}", 31, "recvmsg's result has no field ee_errnoo, expected one of ee_errno,");
        assertProblem("getsockopt(3, TCP_INFO) = 0 {tcpi_cwnd = 10}", 30, "TCP_INFO has no field tcpi_cwnd, expected one of tcpi_state,");
        assertProblem("setsockopt(3, SO_ERROR, 0)", 15, "SO_ERROR can only be read (getsockopt)");
        assertProblem("setsockopt(3, TCP_CONGESTION, 1)", 31, "TCP_CONGESTION takes a name like \"cubic\", got 1");
        assertProblem("fd = socket(AF_INET, SOCK_STREAM, IPPROTO_ICMP)", 35, "SOCK_STREAM with protocol IPPROTO_ICMP is not a socket knetsim makes");
        assertProblem("send(3, 1, MSG_ERRQUEUE)", 12, "MSG_ERRQUEUE is for receiving (recvmsg)");
        assertProblem("setsockopt(3, IP_TTL, \"64)", 23, "a string that is not closed with \"");
        assertProblem("close(3) ; close(4)", 10, "unexpected character ';'");
        assertProblem("", 0, "empty step");
        assertProblem("epoll_ctl(4, EPOLL_CTL_ADD, 3, EPOLLIN|SHUT_WR)", 40, "SHUT_WR cannot be or-ed with EPOLLIN");
    }

    private static void assertProblem(String step, int column, String message) {
        ScriptSyntaxException e = assertThrows(ScriptSyntaxException.class, () -> ScriptParser.parseStep(step), step);
        assertTrue(e.getMessage().startsWith(message), step + ": " + e.getMessage());
        assertEquals(column, e.column(), step + ": " + e.getMessage());
    }

    @Test
    void aNameMustBeBoundBeforeItIsUsed() {
        ScriptParser.Parsed p = ScriptParser.parse(List.of("fd = socket(AF_INET, SOCK_DGRAM, 0)", "close(sock)",
                "send(fd, 1)", "epoll_wait(ep, 1, 0) = 1 {fd = c}"));
        assertEquals(List.of(
                new ScriptParser.Problem(1, 7, "\"sock\" is not bound by an earlier step (write sock = socket(...) before)"),
                new ScriptParser.Problem(3, 12, "\"ep\" is not bound by an earlier step (write ep = socket(...) before)")),
                p.problems());
        assertEquals(2, p.steps().size());
    }

    @Test
    void aStepNamesSleepOnlyAsACall() {
        assertInstanceOf(Step.Sleep.class, ScriptParser.parseStep("sleep 1s"));
        assertThrows(ScriptSyntaxException.class, () -> ScriptParser.parseStep("sleep(1s)"));
    }

    /** Whatever a user writes, the parser answers with a step or a syntax error, never another exception. */
    @Property(tries = 2000)
    void anyTextParsesOrFailsWithASyntaxError(@ForAll String text) {
        try {
            ScriptParser.parseStep(text);
        } catch (ScriptSyntaxException e) {
            assertTrue(e.column() >= 0 && e.column() <= text.length() + 1, e.column() + " in " + text);
        }
    }

    /** ... including texts made of the grammar's own pieces. */
    @Property(tries = 2000)
    void piecesOfStepsParseOrFailWithASyntaxError(@ForAll("pieces") String text) {
        try {
            ScriptParser.parseStep(text);
        } catch (ScriptSyntaxException e) {
            assertTrue(e.column() >= 0 && e.column() <= text.length() + 1);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> pieces() {
        return net.jqwik.api.Arbitraries.of("fd", " = ", "socket", "(", ")", ",", "AF_INET", "SOCK_DGRAM", "0", "-1",
                "ECONNREFUSED", "{", "}", "ee_errno", "10.0.0.2", ":", "9", "|", "EPOLLIN", "sleep", "200ms", "\"",
                "recvmsg", "MSG_ERRQUEUE", "getsockopt", "TCP_INFO", "tcpi_state", "TCP_ESTABLISHED", "epoll_wait", "-")
                .list().ofMaxSize(14).map(l -> String.join("", l));
    }

    @Property
    void sleepsAreExactInEveryUnit(@ForAll @LongRange(min = 0, max = 1_000_000) long n) {
        assertEquals(n, sleep("sleep " + n + "ns"));
        assertEquals(n * 1_000, sleep("sleep " + n + "us"));
        assertEquals(n * 1_000_000, sleep("sleep " + n + "ms"));
        assertEquals(n * 1_000_000_000, sleep("sleep " + n + "s"));
    }
}
