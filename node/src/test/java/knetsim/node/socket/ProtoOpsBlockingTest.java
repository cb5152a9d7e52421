package knetsim.node.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import knetsim.node.ipv4.Ipv4Address;
import org.junit.jupiter.api.Test;

/**
 * The socket layer's blocking through proto_ops, with a scripted stream protocol: a blocked call keeps its
 * progress and resumes where it stopped, a wake-up runs sleepers only after the current work (never nested),
 * and connect()/accept() sleep until the protocol says so.
 */
class ProtoOpsBlockingTest {
    record Completed(int pid, long callId, SyscallResult result) {}

    /** A stream socket whose send buffer takes {@code space} bytes at a time. */
    static final class Stream extends Sock {
        int space;
        int connect = ProtoOps.IN_PROGRESS;
        final List<Sock> acceptQueue = new ArrayList<>();

        Stream(int id) {
            super(id);
        }
    }

    final List<Completed> completed = new ArrayList<>();
    final List<Integer> sendOffsets = new ArrayList<>();
    final List<Stream> sockets = new ArrayList<>();
    Runnable duringSend = () -> {};

    final ProtoOps ops = new ProtoOps() {
        public int bind(Sock sk, Ipv4Address address, int port) {
            return 0;
        }

        public int connect(Sock sk, Ipv4Address address, int port, long now) {
            return ProtoOps.IN_PROGRESS;
        }

        public int connectResult(Sock sk) {
            return ((Stream) sk).connect;
        }

        public int acceptable(Sock sk) {
            return 0;
        }

        public Sock accept(Sock sk, long now) {
            List<Sock> q = ((Stream) sk).acceptQueue;
            return q.isEmpty() ? null : q.remove(0);
        }

        public int sendmsg(Sock sk, Ipv4Address to, int port, byte[] data, int off, int len, long now) {
            duringSend.run();
            Stream s = (Stream) sk;
            if (s.space == 0) return AGAIN;
            sendOffsets.add(off);
            int n = Math.min(len, s.space);
            s.space -= n;
            return n;
        }

        public SyscallResult recvmsg(Sock sk, int maxLength, long now) {
            return null;
        }

        public int poll(Sock sk) {
            return ((Stream) sk).space > 0 ? Syscall.EPOLLOUT : 0;
        }

        public int setsockopt(Sock sk, Syscall.Option option, int value, long now) {
            return 0;
        }

        public SyscallResult getsockopt(Sock sk, Syscall.Option option, long now) {
            return new SyscallResult.Returned(0);
        }

        public void release(Sock sk, long now) {}

        public SyscallResult.SockName getsockname(Sock sk) {
            return new SyscallResult.SockName(Ipv4Address.ANY, 0);
        }
    };

    final SocketLayer layer = new SocketLayer(protocol -> {
        Stream s = new Stream(sockets.size() + 1);
        sockets.add(s);
        return new SocketLayer.Opened(s, ops);
    }, new SocketLayer.Completion() {
        public void complete(int pid, long callId, SyscallResult result, long now) {
            completed.add(new Completed(pid, callId, result));
        }

        public void wakeAt(long time) {}
    });

    int socket(int pid) {
        return (int) ((SyscallResult.Returned) layer.call(pid, 0, new Syscall.Socket(Syscall.Protocol.TCP), 0)).value();
    }

    @Test
    void aBlockedSendResumesWhereItStoppedAndReturnsEverything() {
        int fd = socket(1);
        Stream s = sockets.get(0);
        s.space = 4;
        assertNull(layer.call(1, 7, new Syscall.SendTo(fd, null, 0, new byte[10], false), 0), "4 of 10 fit: it sleeps");
        layer.runWoken(0);
        assertTrue(completed.isEmpty(), "no wake-up yet");
        s.space = 3;
        layer.wake(s);
        layer.runWoken(1);
        assertTrue(completed.isEmpty(), "7 of 10");
        s.space = 100;
        layer.wake(s);
        layer.runWoken(2);
        assertEquals(List.of(new Completed(1, 7, new SyscallResult.Returned(10))), completed);
        assertEquals(List.of(0, 4, 7), sendOffsets, "each retry went on from the progress made");
    }

    @Test
    void aNonBlockingSendReturnsWhatFittedThenEagain() {
        int fd = socket(1);
        sockets.get(0).space = 4;
        assertEquals(new SyscallResult.Returned(4), layer.call(1, 0, new Syscall.SendTo(fd, null, 0, new byte[10], true), 0));
        assertEquals(new SyscallResult.Failed(Errno.EAGAIN),
                layer.call(1, 1, new Syscall.SendTo(fd, null, 0, new byte[10], true), 0));
    }

    @Test
    void aWakeUpDuringAnotherCallRunsTheSleeperOnlyAfterThatCall() {
        int fd1 = socket(1);
        int fd2 = socket(2);
        Stream s1 = sockets.get(0);
        assertNull(layer.call(1, 1, new Syscall.SendTo(fd1, null, 0, new byte[5], false), 0));
        // pid 2's send frees room on pid 1's socket and wakes it, from inside the protocol
        sockets.get(1).space = 5;
        duringSend = () -> {
            s1.space = 5;
            layer.wake(s1);
            assertTrue(completed.isEmpty(), "not run nested inside pid 2's call");
        };
        assertEquals(new SyscallResult.Returned(5), layer.call(2, 2, new Syscall.SendTo(fd2, null, 0, new byte[5], false), 0));
        assertTrue(completed.isEmpty(), "still not: the host's work for this event is not done");
        duringSend = () -> {};
        layer.runWoken(0);
        assertEquals(List.of(new Completed(1, 1, new SyscallResult.Returned(5))), completed);
    }

    @Test
    void connectSleepsUntilTheHandshakeEndsOrIsInProgressWhenNonBlocking() {
        int fd = socket(1);
        Stream s = sockets.get(0);
        s.connect = ProtoOps.AGAIN;
        assertNull(layer.call(1, 3, new Syscall.Connect(fd, Ipv4Address.parse("10.0.0.2"), 80), 0));
        layer.wake(s);
        layer.runWoken(0);
        assertTrue(completed.isEmpty(), "still SYN_SENT: sleeps on");
        s.connect = -Errno.ECONNREFUSED;
        layer.wake(s);
        layer.runWoken(1);
        assertEquals(List.of(new Completed(1, 3, new SyscallResult.Failed(Errno.ECONNREFUSED))), completed);
        int fd2 = socket(2);
        layer.call(2, 0, new Syscall.SetNonBlocking(fd2, true), 0);
        assertEquals(new SyscallResult.Failed(Errno.EINPROGRESS),
                layer.call(2, 4, new Syscall.Connect(fd2, Ipv4Address.parse("10.0.0.2"), 80), 0));
    }

    @Test
    void acceptSleepsOnAnEmptyQueueAndGivesTheChildTheLowestFreeFd() {
        int fd = socket(1);
        Stream listener = sockets.get(0);
        assertNull(layer.call(1, 5, new Syscall.Accept(fd, false), 0));
        Stream child = new Stream(99);
        listener.acceptQueue.add(child);
        layer.wake(listener);
        layer.runWoken(0);
        assertEquals(1, completed.size());
        assertEquals(fd + 1, ((SyscallResult.Accepted) completed.get(0).result()).fd());
        assertNull(layer.call(1, 6, new Syscall.Accept(fd, false), 0), "an empty queue again: it sleeps");
        int other = socket(2);
        layer.call(2, 0, new Syscall.SetNonBlocking(other, true), 0);
        assertEquals(new SyscallResult.Failed(Errno.EAGAIN), layer.call(2, 7, new Syscall.Accept(other, false), 0),
                "O_NONBLOCK: EAGAIN");
    }
}
