package knetsim.node.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.DatagramSock;
import org.junit.jupiter.api.Test;

/** __udp_enqueue_schedule_skb()'s admission and udp_rmem_release()'s batched release, without actors. */
class UdpSocketTest {
    static DatagramSock.Datagram datagram(int truesize) {
        return new DatagramSock.Datagram(Ipv4Address.parse("10.0.0.1"), 1, new byte[0], 64, truesize, 0);
    }

    @Test
    void aDatagramIsRefusedWhenItWouldTakeRmemAboveRcvbufUnlessTheQueueIsEmpty() {
        UdpSocket s = new UdpSocket(1);
        s.setRcvbuf(4096); // read back as 8192
        assertEquals(8192, s.rcvbuf());
        for (int i = 0; i < 3; i++) assertTrue(s.udpEnqueue(datagram(2304)));
        assertEquals(6912, s.rmemAlloc());
        assertFalse(s.udpEnqueue(datagram(2304)), "6912 + 2304 > 8192");
        assertTrue(s.udpEnqueue(datagram(1280)), "6912 + 1280 = 8192 fits exactly");
        assertFalse(s.udpEnqueue(datagram(1)));
        // an empty queue takes one datagram of any size
        UdpSocket small = new UdpSocket(2);
        small.setRcvbuf(1);
        assertEquals(2304, small.rcvbuf());
        assertTrue(small.udpEnqueue(datagram(5504)));
        assertFalse(small.udpEnqueue(datagram(896)));
    }

    @Test
    void memoryGoesBackInBatchesOfAQuarterOfTheBufferWhileTheReaderQueueHoldsMore() {
        UdpSocket s = new UdpSocket(1); // rmem_default 212992: a quarter is 53248, 23.1 datagrams of 2304
        for (int i = 0; i < 30; i++) assertTrue(s.udpEnqueue(datagram(2304)));
        assertEquals(30 * 2304, s.rmemAlloc());
        s.dequeue();
        assertEquals(30 * 2304, s.rmemAlloc(), "forward_deficit 2304 < 53248 with more in the reader queue");
        for (int i = 1; i < 23; i++) s.dequeue();
        assertEquals(30 * 2304, s.rmemAlloc(), "23 x 2304 = 52992, still below a quarter");
        s.dequeue();
        assertEquals(6 * 2304, s.rmemAlloc(), "the 24th read releases all 24");
        // one arrives in sk_receive_queue meanwhile; the six in the reader queue are read: 5 keep their memory...
        assertTrue(s.udpEnqueue(datagram(2304)));
        for (int i = 0; i < 5; i++) s.dequeue();
        assertEquals(7 * 2304, s.rmemAlloc());
        // ...the sixth empties the reader queue: all six released, the newcomer spliced onto it
        s.dequeue();
        assertEquals(2304, s.rmemAlloc());
        s.dequeue();
        assertEquals(0, s.rmemAlloc(), "the reader queue ran empty again: everything released");
        assertEquals(0, s.queued());
    }

    @Test
    void aSmallBufferReleasesEveryDatagramAtOnce() {
        UdpSocket s = new UdpSocket(1);
        s.setRcvbuf(4096);
        for (int i = 0; i < 3; i++) s.udpEnqueue(datagram(2304));
        s.dequeue();
        assertEquals(4608, s.rmemAlloc(), "2304 >= 8192 / 4");
    }
}
