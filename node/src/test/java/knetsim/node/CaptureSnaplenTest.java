package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.link.pcap.CaptureRecord;
import org.junit.jupiter.api.Test;

/**
 * tcpdump -s 64 at the taps themselves, not only in the file: what a run holds until it ends is the first 64 bytes of
 * each frame (the transmit tap of the NIC queue, the receive tap of netif_receive_skb, lo's) and its length on the wire.
 */
class CaptureSnaplenTest {
    private static TestNet.Builder pings(int snaplen) {
        // a pings b and itself with 1000 bytes of data: 1042-byte frames on eth0 and on lo
        TestNet.Builder lan = TestNet.lan().captureSnaplen(snaplen)
                .a(PingTest.ping(TestNet.IP_B, 2, SimTime.SECOND, 1000), PingTest.ping(TestNet.IP_A, 2, SimTime.SECOND, 1000));
        lan.spec("a").captureLo(true);
        return lan;
    }

    @Test
    void everyTapKeepsTheHeadOfTheFrameAndItsLength() {
        SequentialEngine.Result whole = SequentialEngine.run(pings(262144).build());
        SequentialEngine.Result cut = SequentialEngine.run(pings(64).build());
        int cutFrames = 0;
        for (String device : List.of("a.eth0", "b.eth0", "a.lo")) {
            List<CaptureRecord> full = PingTest.capture(whole, device), snapped = PingTest.capture(cut, device);
            assertEquals(full.size(), snapped.size(), device);
            assertTrue(full.size() >= 4, device + ": " + full.size());
            for (int i = 0; i < full.size(); i++) {
                CaptureRecord f = full.get(i), s = snapped.get(i);
                String what = device + " record " + i + " " + s;
                assertEquals(f.frame().length, f.originalLength(), what + ": whole without a snap length");
                assertEquals(f.originalLength(), s.originalLength(), what);
                assertEquals(Math.min(64, f.originalLength()), s.frame().length, what + ": the array held is cut");
                assertArrayEquals(Arrays.copyOf(f.frame(), s.frame().length), s.frame(), what);
                if (s.originalLength() == 1042) cutFrames++;
            }
        }
        // 2 echo requests and 2 replies on each of a.eth0 and b.eth0 (one way the tx tap, the other the rx tap) and
        // on lo (its rx tap only)
        assertEquals(4 + 4 + 4, cutFrames);
    }
}
