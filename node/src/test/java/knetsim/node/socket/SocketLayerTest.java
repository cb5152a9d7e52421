package knetsim.node.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import knetsim.core.engine.Counters;
import knetsim.link.ethernet.MacAddress;
import knetsim.node.InetStack;
import knetsim.node.inet.Config;
import knetsim.node.inet.Interface;
import knetsim.node.inet.StackOutput;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.neigh.NeighbourParameters;
import org.junit.jupiter.api.Test;

/** The socket layer as a plain object: file tables, errors, blocking and epoll timeouts. */
class SocketLayerTest {
    record Completed(int pid, long callId, SyscallResult result, long now) {}

    final List<Completed> completed = new ArrayList<>();
    final List<Long> wakeups = new ArrayList<>();
    final InetStack stack = new InetStack(new Config(List.of(new Interface(1, "eth0",
            MacAddress.parse("02:00:00:00:00:01"), Ipv4Address.parse("10.0.0.1"), 24, 1500)), List.of(), false),
            NeighbourParameters.linuxDefaults(), new SplittableRandom(1), new StackOutput() {
                public void transmit(int ifindex, byte[] frame, int owner) {}

                public void wakeAt(long time) {}
            }, (socket, now) -> this.layer.wake(socket), new Counters());
    final SocketLayer layer = new SocketLayer(stack, new SocketLayer.Completion() {
        public void complete(int pid, long callId, SyscallResult result, long now) {
            completed.add(new Completed(pid, callId, result, now));
        }

        public void wakeAt(long time) {
            wakeups.add(time);
        }
    });

    static final Syscall UDP = new Syscall.Socket(Syscall.Protocol.UDP);

    SyscallResult call(int pid, Syscall call) {
        SyscallResult r = layer.call(pid, 0, call, 0);
        layer.runWoken(0); // as the Host does once the kernel work of the event is done
        return r;
    }

    @Test
    void eachProcessHasItsOwnFileTableStartingAtThree() {
        assertEquals(new SyscallResult.Returned(3), call(10, UDP));
        assertEquals(new SyscallResult.Returned(4), call(10, UDP));
        assertEquals(new SyscallResult.Returned(3), call(11, UDP), "another process, another table");
        assertEquals(new SyscallResult.Returned(0), call(10, new Syscall.Close(3)));
        assertEquals(new SyscallResult.Returned(3), call(10, new Syscall.EpollCreate()), "the lowest free fd");
        assertEquals(new SyscallResult.Failed(Errno.EBADF), call(10, new Syscall.RecvFrom(7, true)));
        assertEquals(new SyscallResult.Failed(Errno.ENOTSOCK), call(10, new Syscall.RecvFrom(3, true)),
                "an epoll fd is no socket (sockfd_lookup)");
        assertEquals(new SyscallResult.Failed(Errno.EINVAL), call(10, new Syscall.Connect(4, Ipv4Address.parse("10.0.0.2"), 0)));
        assertEquals(new SyscallResult.Failed(Errno.EDESTADDRREQ),
                call(10, new Syscall.SendTo(4, null, 0, new byte[1], true)), "send() on an unconnected socket");
        assertEquals(new SyscallResult.Failed(Errno.EINVAL), call(10, new Syscall.SetSockOpt(4, Syscall.Option.IP_TTL, 0)));
    }

    @Test
    void epollCtlAndWaitCheckTheirArguments() {
        call(1, UDP);
        call(1, new Syscall.EpollCreate());
        assertEquals(new SyscallResult.Returned(0), call(1, new Syscall.EpollCtl(4, Syscall.EpollOp.ADD, 3, Syscall.EPOLLIN)));
        assertEquals(new SyscallResult.Failed(17), call(1, new Syscall.EpollCtl(4, Syscall.EpollOp.ADD, 3, Syscall.EPOLLIN)), "EEXIST");
        assertEquals(new SyscallResult.Returned(0), call(1, new Syscall.EpollCtl(4, Syscall.EpollOp.DEL, 3, 0)));
        assertEquals(new SyscallResult.Failed(2), call(1, new Syscall.EpollCtl(4, Syscall.EpollOp.DEL, 3, 0)), "ENOENT");
        assertEquals(new SyscallResult.Failed(2), call(1, new Syscall.EpollCtl(4, Syscall.EpollOp.MOD, 3, 0)), "ENOENT");
        assertEquals(new SyscallResult.Failed(Errno.EBADF), call(1, new Syscall.EpollCtl(3, Syscall.EpollOp.ADD, 4, 0)));
        assertEquals(new SyscallResult.Failed(Errno.EINVAL), call(1, new Syscall.EpollWait(4, 0, 0)));
    }

    @Test
    void aBlockedCallWaitsAloneAndAnEpollTimeoutCompletesWithNoEvents() {
        call(1, UDP);
        call(1, new Syscall.EpollCreate());
        call(1, new Syscall.EpollCtl(4, Syscall.EpollOp.ADD, 3, Syscall.EPOLLIN));
        assertNull(layer.call(1, 42, new Syscall.EpollWait(4, 1, 5_000), 1_000), "nothing ready: it blocks");
        assertEquals(List.of(6_000L), wakeups, "asks to be woken at now + timeout");
        assertThrows(IllegalStateException.class, () -> layer.call(1, 43, UDP, 2_000), "one call at a time");
        layer.timerExpired(5_999);
        assertEquals(List.of(), completed, "not before its deadline");
        layer.timerExpired(6_000);
        assertEquals(1, completed.size());
        assertEquals(42, completed.get(0).callId());
        assertArrayEquals(new int[0], ((SyscallResult.Ready) completed.get(0).result()).fds());
        assertEquals(new SyscallResult.Returned(5), layer.call(1, 44, UDP, 7_000), "free for the next call");
        assertNull(layer.call(1, 45, new Syscall.RecvFrom(3, false), 8_000));
        layer.timerExpired(1_000_000);
        assertEquals(1, completed.size(), "a blocking recvfrom has no timeout");
    }

    @Test
    void aWokenSendThatFreesMemoryOnTheWayCompletesOnce() {
        // pid 1 fills a small send buffer with datagrams to a neighbour that never answers, then blocks;
        // pid 2's datagrams push pid 1's out of the full arp_queue (NEIGH_QUEUEFULL) until pid 1 may
        // write again. pid 1's own send then drops another queued datagram, whose freed memory wakes
        // the socket again while pid 1 is still being served: its call must run and return once.
        Ipv4Address nobody = Ipv4Address.parse("10.0.0.99");
        call(1, UDP);
        call(1, new Syscall.SetSockOpt(3, Syscall.Option.SO_SNDBUF, 2304));
        int sent = 0;
        while (call(1, new Syscall.SendTo(3, nobody, 9, new byte[0], true)) instanceof SyscallResult.Returned) sent++;
        assertNull(layer.call(1, 7, new Syscall.SendTo(3, nobody, 9, new byte[0], false), 0), "a full buffer blocks");
        call(2, UDP);
        // the arp_queue holds unres_qlen_bytes of truesize: 237 empty datagrams (896 bytes each)
        int queued = knetsim.node.neigh.NeighbourParameters.UNRES_QLEN_BYTES / knetsim.node.inet.Inet.truesizeOfPacket(28);
        for (int i = 0; i < queued + 1 + sent && completed.isEmpty(); i++) {
            call(2, new Syscall.SendTo(3, nobody, 9, new byte[0], true));
        }
        assertEquals(1, completed.size(), "pid 1's send returned once: " + completed);
        assertEquals(new Completed(1, 7, new SyscallResult.Returned(0), 0), completed.get(0));
    }

    @Test
    void closingASocketTakesItOutOfEveryEpollSet() {
        // eventpoll_release(): the last close of a file removes it from the epoll sets watching it,
        // so a new socket that gets the same fd number is not watched until it is added
        call(1, UDP);
        call(1, new Syscall.EpollCreate());
        call(1, new Syscall.EpollCtl(4, Syscall.EpollOp.ADD, 3, Syscall.EPOLLOUT));
        assertEquals(new SyscallResult.Returned(0), call(1, new Syscall.Close(3)));
        assertEquals(new SyscallResult.Returned(3), call(1, UDP), "the fd number is reused");
        SyscallResult.Ready ready = (SyscallResult.Ready) call(1, new Syscall.EpollWait(4, 8, 0));
        assertArrayEquals(new int[0], ready.fds(), "the new socket was never added");
        assertEquals(new SyscallResult.Returned(0), call(1, new Syscall.EpollCtl(4, Syscall.EpollOp.ADD, 3, Syscall.EPOLLOUT)),
                "adding it is no EEXIST");
    }

    @Test
    void anEpollFdCanBeClosed() {
        call(1, new Syscall.EpollCreate());
        assertEquals(new SyscallResult.Returned(0), call(1, new Syscall.Close(3)));
        assertEquals(new SyscallResult.Failed(Errno.EBADF), call(1, new Syscall.EpollWait(3, 1, 0)), "gone");
        assertEquals(new SyscallResult.Failed(Errno.EBADF), call(1, new Syscall.Close(3)), "closed twice");
    }
}
