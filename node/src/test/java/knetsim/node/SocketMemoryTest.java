package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.DatagramSock;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A UDP receive buffer of SO_RCVBUF 4096 (sk_rcvbuf 8192) under a burst of 100 datagrams nobody reads, as Linux 6.18
 * measured it: each datagram is charged the truesize of its skb, and __udp_enqueue_schedule_skb() refuses one that
 * would take sk_rmem_alloc above sk_rcvbuf.
 */
class SocketMemoryTest {
    static final int PORT = 5001;

    static Script burst(int size) {
        // one datagram to a closed port resolves B's address first, so that no burst waits in the arp_queue
        List<Object> steps = new ArrayList<>(List.of(new Syscall.Socket(Syscall.Protocol.UDP),
                new Syscall.SendTo(3, TestNet.IP_B, 7, new byte[1], false), new Script.At(10 * SimTime.MILLISECOND)));
        for (int i = 0; i < 100; i++) steps.add(new Syscall.SendTo(3, TestNet.IP_B, PORT, new byte[size], false));
        return new Script(steps);
    }

    static List<Object> receiver(boolean read) {
        List<Object> steps = new ArrayList<>(List.of(new Syscall.Socket(Syscall.Protocol.UDP),
                new Syscall.SetSockOpt(3, Syscall.Option.SO_RCVBUF, 4096),
                new Syscall.GetSockOpt(3, Syscall.Option.SO_RCVBUF), new Syscall.Bind(3, Ipv4Address.ANY, PORT)));
        if (read) {
            steps.add(new Script.At(500 * SimTime.MILLISECOND));
            for (int i = 0; i < 4; i++) steps.add(new Syscall.RecvFrom(3, true));
        }
        return steps;
    }

    @ParameterizedTest(name = "{0}-byte datagrams: {1} queued of truesize {2}")
    @CsvSource({
        // 1000 + 8 + 20 + 14 = 1042 + NET_SKB_PAD 64 = 1106 -> 1152 + 320 = 1472 -> kmalloc-2k: 2048 + 256 (Linux 6.18)
        "1000, 3, 2304",
        // 142 + 64 = 206 -> 256 + 320 = 576 -> skb_small_head_cache (640) + 256
        "100, 9, 896",
        // a full frame, 1514 + 64 -> 1600 + 320 -> kmalloc-2k
        "1472, 3, 2304",
        // three fragments 1514, 1514, 82 bytes: 2304 + 2304 + 896 after reassembly
        "3000, 1, 5504",
    })
    void aBurstFillsTheReceiveBufferByTruesize(int size, int queued, int truesize) {
        Script sink = new Script(receiver(false));
        TestNet net = TestNet.lan().a(burst(size)).b(sink).build();
        SequentialEngine.run(net);
        assertEquals(Script.ok(8192), sink.result(2), "SO_RCVBUF 4096 reads back doubled");
        Host b = net.host("b");
        DatagramSock socket = (DatagramSock) b.stack().socket(1);
        assertEquals(queued, socket.queued());
        assertEquals((long) queued * truesize, socket.rmemAlloc(), "sk_rmem_alloc");
        assertEquals(100 - queued, b.counters().get("UdpRcvbufErrors"));
        // __udp_queue_rcv_skb(): "an ENOMEM error is charged twice"
        assertEquals(100 - queued, b.counters().get("UdpInErrors"));
        assertEquals(100 - queued, b.counters().get("drop_SOCKET_RCVBUFF"));
    }

    @Test
    void theReaderFindsExactlyThreeDatagramsThenEagain() {
        Script sink = new Script(receiver(true));
        TestNet net = TestNet.lan().a(burst(1000)).b(sink).build();
        SequentialEngine.run(net);
        for (int i = 4; i < 7; i++) assertInstanceOf(SyscallResult.Received.class, sink.result(i));
        assertEquals(Script.failed(Errno.EAGAIN), sink.result(7));
        Host b = net.host("b");
        assertEquals(3, b.counters().get("UdpInDatagrams"));
        assertEquals(97, b.counters().get("UdpRcvbufErrors"));
        assertEquals(0, ((DatagramSock) b.stack().socket(1)).rmemAlloc(), "udp_rmem_release(): all returned");
    }
}
