package knetsim.node.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;
import org.junit.jupiter.api.Test;

/** The interpreter on a stand-in kernel: which system call each step makes, and how results are compared. */
class ScriptRunnerTest {
    /** Answers each call with the next canned result, 1 us later; records the calls. */
    static final class Kernel implements ProcessContext {
        final List<Syscall> calls = new ArrayList<>();
        final Deque<SyscallResult> answers = new ArrayDeque<>();
        final List<Long> sleeps = new ArrayList<>();
        long now;

        Kernel answer(SyscallResult... results) {
            answers.addAll(List.of(results));
            return this;
        }

        @Override
        public long now() {
            return now;
        }

        @Override
        public void call(Syscall call, Consumer<SyscallResult> then) {
            calls.add(call);
            now += 1_000;
            then.accept(answers.isEmpty() ? new SyscallResult.Returned(0) : answers.poll());
        }

        @Override
        public void sleep(long ns, Runnable then) {
            sleeps.add(ns);
            now += ns;
            then.run();
        }

        @Override
        public SplittableRandom random() {
            return new SplittableRandom(1);
        }

        @Override
        public String name() {
            return "h1/script-0";
        }
    }

    static ScriptRunner run(Kernel k, boolean strict, SyscallTrace trace, String... steps) {
        ScriptParser.Parsed p = ScriptParser.parse(List.of(steps));
        assertEquals(List.of(), p.problems());
        ScriptRunner r = new ScriptRunner(p.steps(), strict, trace);
        r.start(k);
        return r;
    }

    static SyscallResult ok(long v) {
        return new SyscallResult.Returned(v);
    }

    @Test
    void eachStepMakesItsSystemCallWithTheBoundDescriptors() {
        Kernel k = new Kernel().answer(ok(3), ok(0), ok(0), ok(4), ok(0), ok(0), ok(0));
        run(k, false, null,
                "s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)",
                "setsockopt(s, IP_MTU_DISCOVER, IP_PMTUDISC_DO)",
                "sendto(s, 64, MSG_DONTWAIT, 10.0.0.2:0)",
                "ep = epoll_create(1)",
                "epoll_ctl(ep, EPOLL_CTL_MOD, s, EPOLLIN|EPOLLERR)",
                "epoll_wait(ep, 4, -1)",
                "recvmsg(s, 512, MSG_ERRQUEUE|MSG_DONTWAIT)",
                "recvfrom(s, 100)",
                "setsockopt(s, TCP_CONGESTION, \"reno\")",
                "accept4(s, SOCK_NONBLOCK)",
                "fcntl(s, F_SETFL, 0)",
                "shutdown(s, SHUT_RDWR)");
        assertEquals(new Syscall.Socket(Syscall.Protocol.ICMP), k.calls.get(0));
        assertEquals(new Syscall.SetSockOpt(3, Syscall.Option.IP_MTU_DISCOVER, 2), k.calls.get(1));
        Syscall.SendTo echo = (Syscall.SendTo) k.calls.get(2);
        assertEquals(Ipv4Address.parse("10.0.0.2"), echo.address());
        assertTrue(echo.nonBlocking());
        assertEquals(64, echo.data().length);
        assertEquals(8, echo.data()[0], "a ping socket's data starts with an echo request header");
        assertEquals(1, echo.data()[7], "sequence 1");
        assertEquals(new Syscall.EpollCreate(), k.calls.get(3));
        assertEquals(new Syscall.EpollCtl(4, Syscall.EpollOp.MOD, 3, Syscall.EPOLLIN | Syscall.EPOLLERR), k.calls.get(4));
        assertEquals(new Syscall.EpollWait(4, 4, -1), k.calls.get(5));
        assertEquals(new Syscall.RecvError(3), k.calls.get(6));
        assertEquals(new Syscall.Recv(3, 100, false), k.calls.get(7));
        assertEquals(new Syscall.SetSockOptName(3, Syscall.Option.TCP_CONGESTION, "reno"), k.calls.get(8));
        assertEquals(new Syscall.Accept(3, true), k.calls.get(9));
        assertEquals(new Syscall.SetNonBlocking(3, false), k.calls.get(10));
        assertEquals(new Syscall.Shutdown(3, 2), k.calls.get(11));
    }

    @Test
    void errorQueueFieldsAndLengthAreComparedAsLinuxFillsThem() {
        // a port unreachable about a 100-byte UDP datagram: the quoted bytes are its UDP header and payload
        byte[] quoted = new byte[8 + 100];
        SyscallResult error = new SyscallResult.ErrorReceived(Errno.ECONNREFUSED, 3, 3, Ipv4Address.parse("10.0.0.2"), quoted, 0);
        Kernel k = new Kernel().answer(ok(3), error, error, error);
        SyscallTrace trace = new SyscallTrace("h1/script-0");
        ScriptRunner r = run(k, false, trace,
                "fd = socket(AF_INET, SOCK_DGRAM, 0)",
                "recvmsg(fd, MSG_ERRQUEUE) = 0 {ee_errno = ECONNREFUSED, ee_origin = SO_EE_ORIGIN_ICMP, ee_type = 3, ee_code = 3, offender = 10.0.0.2}",
                "recvmsg(fd, 1500, MSG_ERRQUEUE) = 100 {ee_info = 0}",
                "recvmsg(fd, 40, MSG_ERRQUEUE) = 40 {ee_code = 1, ee_errno = EHOSTUNREACH}");
        assertEquals(1, r.mismatches().size());
        assertEquals(new ScriptRunner.Mismatch(3, "= 40 {ee_code = 1, ee_errno = EHOSTUNREACH}",
                "= 40 {ee_code = 3, ee_errno = ECONNREFUSED}"), r.mismatches().get(0));
        SyscallChunk log = trace.chunks().get(0);
        assertEquals("{ee_errno = ECONNREFUSED, ee_origin = SO_EE_ORIGIN_ICMP, ee_type = 3, ee_code = 3, ee_info = 0, offender = 10.0.0.2}",
                log.details()[1]);
        assertEquals("3, 1500, MSG_ERRQUEUE", log.arguments()[2]);
    }

    @Test
    void aStrictScriptStopsAtItsFirstMismatchALooseOneGoesOn() {
        String[] steps = {"fd = socket(AF_INET, SOCK_DGRAM, 0)", "send(fd, 10) = 10", "sleep 5ms", "send(fd, 10) = -1",
                "close(fd) = 0"};
        Kernel loose = new Kernel().answer(ok(3), new SyscallResult.Failed(Errno.EAGAIN), ok(10), ok(0));
        ScriptRunner l = run(loose, false, null, steps);
        assertEquals(List.of(new ScriptRunner.Mismatch(1, "= 10", "= -1 EAGAIN"), new ScriptRunner.Mismatch(3, "= -1", "= 10")),
                l.mismatches());
        assertTrue(l.finished());
        assertEquals(List.of(5_000_000L), loose.sleeps);

        Kernel strict = new Kernel().answer(ok(3), new SyscallResult.Failed(Errno.EAGAIN));
        ScriptRunner s = run(strict, true, null, steps);
        assertTrue(s.stopped());
        assertFalse(s.finished());
        assertEquals(2, strict.calls.size(), "nothing after the failed step");
        assertEquals(1, s.completed());
    }

    @Test
    void aFailedSocketLeavesItsNameAtMinusOneAndAnyErrnoMatchesABareMinusOne() {
        Kernel k = new Kernel().answer(new SyscallResult.Failed(Errno.EPROTONOSUPPORT), new SyscallResult.Failed(Errno.EBADF));
        ScriptRunner r = run(k, true, null, "fd = socket(AF_INET, SOCK_STREAM, 0) = -1", "close(fd) = -1 EBADF");
        assertEquals(new Syscall.Close(-1), k.calls.get(1));
        assertTrue(r.finished() && r.mismatches().isEmpty());
    }

    @Test
    void getsockoptChecksTheValueNotTheReturn() {
        Kernel k = new Kernel().answer(ok(3), ok(Errno.ECONNREFUSED), ok(8192));
        ScriptRunner r = run(k, true, null, "fd = socket(AF_INET, SOCK_DGRAM, 0)",
                "getsockopt(fd, SO_ERROR) = 0 {value = ECONNREFUSED}", "getsockopt(fd, SO_RCVBUF) = 0 {value = 8192}");
        assertTrue(r.finished(), () -> r.mismatches().toString());
        assertArrayEquals(new Object[0], r.mismatches().toArray());
    }
}
