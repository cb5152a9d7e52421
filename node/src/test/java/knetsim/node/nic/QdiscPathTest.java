package knetsim.node.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.link.Frame;
import knetsim.node.Host;
import knetsim.node.dev.FqCodel;
import knetsim.node.dev.Noqueue;
import knetsim.node.dev.Pfifo;
import knetsim.node.dev.Qdisc;
import knetsim.node.ipv4.InternetChecksum;
import org.junit.jupiter.api.Test;

/** Qdiscs behind a real tx queue: noqueue's drops, and a sparse flow through a saturated bottleneck. */
class QdiscPathTest {
    static final long MS = SimTime.MILLISECOND;
    static final int SPARSE_PORT = 7;

    /** An Ethernet/IPv4/UDP frame from A to B with a valid header checksum; the payload starts with {@code seq}. */
    static byte[] udpFrame(int sourcePort, int length, int seq) {
        byte[] b = TwoHosts.frame(TwoHosts.MAC_B, TwoHosts.MAC_A, length, 0);
        b[12] = 0x08;
        b[13] = 0x00;
        int ip = 14;
        b[ip] = 0x45;
        int total = length - 14;
        b[ip + 2] = (byte) (total >> 8);
        b[ip + 3] = (byte) total;
        b[ip + 8] = 64;
        b[ip + 9] = 17;
        b[ip + 12] = 10; b[ip + 15] = 1;
        b[ip + 16] = 10; b[ip + 19] = 2;
        int check = InternetChecksum.compute(b, ip, 20);
        b[ip + 10] = (byte) (check >> 8);
        b[ip + 11] = (byte) check;
        b[ip + 20] = (byte) (sourcePort >> 8);
        b[ip + 21] = (byte) sourcePort;
        b[ip + 23] = 9;
        for (int i = 0; i < 4; i++) b[ip + 28 + i] = (byte) (seq >>> (24 - 8 * i));
        return b;
    }

    @Test
    void noqueueSendsStraightToTheDriverAndDropsWhenItIsBusy() {
        TwoHosts net = new TwoHosts().send(10, 1514, 0);
        net.qdiscA = Noqueue::new;
        net.txA = new NicTxQueue.Config(4, 3_000, 0, 1_000, 1518, false);
        net.build();
        SequentialEngine.run(net.scenario);
        NicTxQueue tx = net.lp("a.eth0.tx0");
        // the ring of 4 takes the first four; the queue is stopped for the rest and there is nowhere to wait
        assertEquals(4, net.receivedAtB.size());
        assertEquals(6, tx.counters().get("tx_dropped"));
        assertEquals(0, tx.qdiscStats().sentPackets(), "tc -s qdisc shows noqueue with nothing sent");
    }

    /** 10 Mbit/s; a 20 Mbit/s UDP stream from port 1000 and a 100-byte packet from port 7 every 20 ms, for 3 s. */
    static long sparseDelay(Supplier<Qdisc> qdisc) {
        TwoHosts net = new TwoHosts();
        net.rate = 10_000_000L;
        net.recordWire = true;
        net.qdiscA = qdisc;
        long end = 3000 * MS;
        int seq = 0;
        for (long t = 0; t < end; t += 600 * SimTime.MICROSECOND) {
            net.planA.add(new Host.PlannedFrame(t, udpFrame(1000, 1514, seq++), 0));
        }
        for (long t = 0; t < end; t += 20 * MS) {
            net.planA.add(new Host.PlannedFrame(t + 3 * SimTime.MICROSECOND, udpFrame(SPARSE_PORT, 100, (int) (t / MS)), 0));
        }
        net.planA.sort(java.util.Comparator.comparingLong(Host.PlannedFrame::time));
        net.build();
        SequentialEngine.run(net.scenario);
        // the worst delay of a sparse packet sent in the last second: wire arrival - latency - send time
        long worst = 0;
        for (int i = 0; i < net.wire.frames.size(); i++) {
            Frame f = net.wire.frames.get(i);
            if (((f.bytes()[34] & 0xff) << 8 | (f.bytes()[35] & 0xff)) != SPARSE_PORT) continue;
            long sentAt = ((long) (((f.bytes()[42] & 0xff) << 24) | ((f.bytes()[43] & 0xff) << 16)
                    | ((f.bytes()[44] & 0xff) << 8) | (f.bytes()[45] & 0xff))) * MS;
            if (sentAt < 2000 * MS) continue;
            worst = Math.max(worst, net.wire.arrivals.get(i) - net.latency - sentAt);
        }
        return worst;
    }

    @Test
    void aSparseFlowThroughASaturatedFqCodelWaitsMillisecondsNotTheBulkQueue() {
        long fqCodel = sparseDelay(() -> {
            FqCodel q = FqCodel.linuxDefaults(1514);
            q.attach(new java.util.SplittableRandom(1));
            return q;
        });
        long pfifo = sparseDelay(() -> new Pfifo(1000));
        // fq_codel: the sparse flow is a new flow each time: at most the frame on the wire and the BQL-sized ring
        // ahead of it (1.2 ms per 1514-byte frame at 10 Mbit/s)
        assertTrue(fqCodel < 6 * MS, "fq_codel sparse delay " + fqCodel);
        // pfifo 1000 full of 1514-byte frames: 1000 x 1.23 ms
        assertTrue(pfifo > 1000 * MS, "pfifo sparse delay " + pfifo);
    }
}
