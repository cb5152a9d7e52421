package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import knetsim.core.engine.SequentialEngine;
import knetsim.link.pcap.CaptureRecord;
import knetsim.node.app.Script;
import knetsim.node.script.ScriptReport;
import knetsim.node.script.SyscallChunk;
import org.junit.jupiter.api.Test;

/** The script app against the real socket layer, in virtual time, on two hosts of a LAN. */
class ScriptAppTest {
    /** Linux's connected UDP socket against a closed port (checked on 6.18 with a C program doing the same). */
    static final List<String> CONNECTED_UDP = List.of(
            "fd = socket(AF_INET, SOCK_DGRAM, 0)",
            "connect(fd, 10.0.0.2:9) = 0",
            "send(fd, 100) = 100",
            "sleep 200ms",
            // the port unreachable set sk_err: this send reports it and sends nothing
            "send(fd, 100) = -1 ECONNREFUSED",
            "send(fd, 100) = 100",
            "sleep 200ms",
            // the second port unreachable: recv reports it once, then there is nothing
            "recv(fd, 1500, MSG_DONTWAIT) = -1 ECONNREFUSED",
            "recv(fd, 1500, MSG_DONTWAIT) = -1 EAGAIN",
            "getsockopt(fd, SO_ERROR) = 0 {value = 0}",
            "close(fd) = 0");

    static Script script(List<String> steps, boolean strict) {
        List<String> where = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) where.add("test.conf:" + (10 + i));
        return new Script(new Script.Options(steps, where, strict));
    }

    @Test
    void connectedUdpToAClosedPortAsLinux() {
        Script s = script(CONNECTED_UDP, true);
        TestNet net = TestNet.lan().a(s).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        ScriptReport report = report(s);
        assertArrayEquals(new int[0], report.mismatchSteps(), () -> String.join("; ", report.got()));
        assertTrue(report.finished());
        assertFalse(report.failed());
        // on the wire: two datagrams (the refused send sent nothing), each answered with a port unreachable
        List<String> kinds = new ArrayList<>();
        for (CaptureRecord r : PingTest.capture(run, "a.eth0")) {
            byte[] f = r.frame();
            if (f[12] != 0x08 || f[13] != 0x00) continue;
            kinds.add(f[23] == 17 ? "udp " + (((f[36] & 0xff) << 8) | (f[37] & 0xff)) + " len " + (((f[16] & 0xff) << 8) | (f[17] & 0xff))
                    : f[23] == 1 ? "icmp " + f[34] + "/" + f[35] : "other");
        }
        assertEquals(List.of("udp 9 len 128", "icmp 3/3", "udp 9 len 128", "icmp 3/3"), kinds);
        // the log: every step, in order, with its result and errno, at the times the script made them
        SyscallChunk log = chunk(s);
        assertEquals(List.of("socket", "connect", "send", "sleep", "send", "send", "sleep", "recv", "recv", "getsockopt", "close"),
                List.of(log.calls()));
        assertEquals("3, 10.0.0.2:9", log.arguments()[1]);
        assertEquals("3, 1500, MSG_DONTWAIT", log.arguments()[7]);
        assertArrayEquals(new long[] {3, 0, 100, 0, -1, 100, 0, -1, -1, 0, 0}, log.results());
        assertArrayEquals(new String[] {"", "", "", "", "ECONNREFUSED", "", "", "ECONNREFUSED", "EAGAIN", "", ""}, log.errnos());
        assertEquals("{value = 0}", log.details()[9]);
        assertEquals(200_000_000L, log.durations()[3]);
        assertEquals(log.times()[3] + 200_000_000L, log.times()[4], "the second send is made 200 ms after the sleep began");
    }

    @Test
    void aMismatchIsReportedAndStrictStopsThere() {
        List<String> steps = List.of("fd = socket(AF_INET, SOCK_DGRAM, 0)", "connect(fd, 10.0.0.2:9) = 0",
                "send(fd, 100) = 100", "sleep 10ms", "send(fd, 100) = 100", "close(fd) = 0");
        Script loose = script(steps, false);
        SequentialEngine.run(TestNet.lan().a(loose).build());
        ScriptReport r = report(loose);
        assertArrayEquals(new int[] {4}, r.mismatchSteps());
        assertEquals("test.conf:14", r.where()[0]);
        assertEquals("send(fd, 100) = 100", r.text()[0]);
        assertEquals("= 100", r.expected()[0]);
        assertEquals("= -1 ECONNREFUSED", r.got()[0]);
        assertTrue(r.finished(), "without strict the script goes on");
        assertFalse(r.failed());

        Script strict = script(steps, true);
        SequentialEngine.run(TestNet.lan().a(strict).build());
        ScriptReport s = report(strict);
        assertTrue(s.stopped() && s.failed() && !s.finished());
        assertEquals(4, s.completed());
        assertEquals(5, chunk(strict).size(), "nothing after the failed step ran");
    }

    @Test
    void tcpListenAcceptOnOneHostConnectSendRecvCloseOnTheOther() {
        Script server = script(List.of(
                "l = socket(AF_INET, SOCK_STREAM, 0)",
                "bind(l, 0.0.0.0:5001) = 0",
                "listen(l, 16) = 0",
                "getsockopt(l, IP_MTU) = -1 ENOTCONN",
                "c = accept(l) = 4 {peer = 10.0.0.1:40000}",
                "recv(c, 1000) = 1000",
                "send(c, 500) = 500",
                "recv(c, 1000) = 0",
                "close(c) = 0",
                "close(l) = 0"), true);
        Script client = script(List.of(
                "sleep 1ms",
                "fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)",
                "setsockopt(fd, TCP_NODELAY, 1) = 0",
                "bind(fd, 0.0.0.0:40000) = 0",
                "connect(fd, 10.0.0.2:5001) = 0",
                "getsockopt(fd, TCP_INFO) = 0 {tcpi_state = TCP_ESTABLISHED}",
                "getsockopt(fd, IP_MTU) = 0 {value = 1500}",
                "write(fd, 1000) = 1000",
                "read(fd, 2000) = 500",
                "shutdown(fd, SHUT_WR) = 0",
                "close(fd) = 0"), true);
        SequentialEngine.run(TestNet.lan().a(client).b(server).build());
        for (Script s : List.of(client, server)) {
            ScriptReport r = report(s);
            assertArrayEquals(new int[0], r.mismatchSteps(), () -> String.join("; ", r.text()) + " got " + String.join("; ", r.got()));
            assertTrue(r.finished());
        }
        SyscallChunk log = chunk(server);
        assertEquals("accept", log.calls()[4]);
        assertEquals("{peer = 10.0.0.1:40000}", log.details()[4]);
        assertTrue(log.durations()[4] > 1_000_000, "accept blocked until the client connected 1 ms later");
    }

    @Test
    void nonBlockingConnectAndEpoll() {
        Script server = script(List.of("l = socket(AF_INET, SOCK_STREAM, 0)", "bind(l, 0.0.0.0:5001)", "listen(l, 16)",
                "c = accept(l)", "recv(c, 100) = 10"), true);
        Script client = script(List.of(
                "sleep 1ms",
                "fd = socket(AF_INET, SOCK_STREAM, 0)",
                "fcntl(fd, F_SETFL, O_NONBLOCK) = 0",
                "connect(fd, 10.0.0.2:5001) = -1 EINPROGRESS",
                "ep = epoll_create1(0)",
                "epoll_ctl(ep, EPOLL_CTL_ADD, fd, EPOLLOUT) = 0",
                "epoll_wait(ep, 8, 1000) = 1 {fd = fd, events = EPOLLOUT}",
                "getsockopt(fd, SO_ERROR) = 0 {value = 0}",
                "send(fd, 10) = 10",
                "recv(fd, 100) = -1 EAGAIN",
                "epoll_ctl(ep, EPOLL_CTL_MOD, fd, EPOLLIN) = 0",
                "epoll_wait(ep, 8, 50ms) = 0",
                "close(ep) = 0",
                "close(fd) = 0"), true);
        SequentialEngine.run(TestNet.lan().a(client).b(server).build());
        ScriptReport r = report(client);
        assertArrayEquals(new int[0], r.mismatchSteps(), () -> String.join("; ", r.text()) + " got " + String.join("; ", r.got()));
        assertTrue(r.finished());
        SyscallChunk log = chunk(client);
        assertEquals(50_000_000L + TestNet.SYSCALL_COST + TestNet.SYSCALL_RETURN, log.durations()[11],
                "epoll_wait with nothing ready waits out its timeout (plus entry and return)");
        assertEquals("[{fd = 3, events = EPOLLOUT}]", log.details()[6]);
    }

    @Test
    void ipMtuIsTheConnectedRoutesMtuAndPingSocketsEcho() {
        Script s = script(List.of("fd = socket(AF_INET, SOCK_DGRAM, 0)", "getsockopt(fd, IP_MTU) = -1 ENOTCONN",
                "connect(fd, 10.0.0.2:9) = 0", "getsockopt(fd, IP_MTU) = 0 {value = 1500}",
                "p = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)", "getsockopt(p, IP_MTU) = -1 ENOTCONN",
                "getsockname(p) = 0 {addr = 0.0.0.0:0}",
                // a ping socket: the program writes the echo request; the kernel picks the ident (the port) at the send
                "sendto(p, 64, 0, 10.0.0.2:0) = 64", "getsockname(p) = 0 {addr = 0.0.0.0:1}", "sleep 5ms",
                "recvfrom(p, 1500, MSG_DONTWAIT) = 64 {from = 10.0.0.2:0, ttl = 64}",
                "recvfrom(p, 1500, MSG_DONTWAIT) = -1 EAGAIN"), true);
        SequentialEngine.run(TestNet.lan().a(s).build());
        ScriptReport r = report(s);
        assertArrayEquals(new int[0], r.mismatchSteps(), () -> String.join("; ", r.got()));
        assertTrue(r.finished());
    }

    static ScriptReport report(Script s) {
        return (ScriptReport) s.report(0).stream().filter(r -> r instanceof ScriptReport).findFirst().orElseThrow();
    }

    static SyscallChunk chunk(Script s) {
        return (SyscallChunk) s.report(0).stream().filter(r -> r instanceof SyscallChunk).findFirst().orElseThrow();
    }
}
