package knetsim.node.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import knetsim.core.engine.InMemoryScenario;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.core.engine.SequentialEngine;
import knetsim.link.Frame;
import knetsim.node.TestNet;
import knetsim.node.skb.SkBuff;
import knetsim.node.softirq.SoftirqWorker;
import org.junit.jupiter.api.Test;

/** The NIC-to-CPU edge: MAC filter, interrupt moderation, masking, and the CPU's single timeline. */
class InterruptPathTest {
    static final long MAC_B = TwoHosts.MAC_B;

    record Go(int n) implements Payload {
        @Override
        public long fingerprint() {
            return n;
        }
    }

    /** Sends planned payloads to one target at planned times; records what it is sent. */
    static final class Driver extends LogicalProcess {
        final List<Long> receivedAt = new ArrayList<>();
        final List<Payload> received = new ArrayList<>();
        final int target;
        final long delay;
        final long[] times;
        final Payload[] payloads;

        Driver(int target, long delay, long[] times, Payload[] payloads) {
            this.target = target;
            this.delay = delay;
            this.times = times;
            this.payloads = payloads;
        }

        @Override
        protected void onStart() {
            for (int i = 0; i < times.length; i++) schedule(times[i], new Go(i));
        }

        @Override
        protected void onEvent(Payload p) {
            if (p instanceof Go go) {
                send(target, delay, payloads[go.n()]);
            } else {
                receivedAt.add(now());
                received.add(p);
            }
        }
    }

    static Frame frameTo(long dst) {
        return new Frame(TwoHosts.frame(dst, TwoHosts.MAC_A, 60, 0), true);
    }

    @Test
    void theCpuMayBeNumberedBeforeItsNicQueue() {
        // A zero-delay self-event of the CPU (lower id) while handling the NIC's interrupt is legal.
        InMemoryScenario.Builder b = InMemoryScenario.builder();
        int cpu = b.reserve(), host = b.reserve(), rx = b.reserve(), source = b.reserve();
        var cpuConfig = SoftirqWorker.Config.linuxDefaults();
        TestNet.Recorder hostRecorder = new TestNet.Recorder();
        b.define(cpu, () -> new SoftirqWorker(cpuConfig, host, List.of(new SoftirqWorker.Napi(rx, -1, 1, "rx_queue_0"))));
        b.define(host, () -> hostRecorder);
        b.define(rx, () -> new NicRxQueue(new NicRxQueue.Config(256, 0, 0, false, 1_000), MAC_B, cpu));
        b.define(source, () -> new Driver(rx, 10_000, new long[] {0}, new Payload[] {frameTo(MAC_B)}));
        b.edge(source, rx, 10_000).edge(rx, cpu, 1_000).edge(cpu, rx, cpuConfig.doorbell()).edge(cpu, host, 500);
        SequentialEngine.run(b.build());
        assertEquals(List.of(10_000L + 1_000 + 500), hostRecorder.arrivals);
    }

    @Test
    void anInterruptRaisedByRxFramesCancelsTheRxUsecsTimer() {
        // rx-frames 2, rx-usecs 100 us: two frames raise the IRQ at once; a third frame after the
        // IRQ is re-enabled must wait its own 100 us, not fire on the first frame's old timer.
        InMemoryScenario.Builder b = InMemoryScenario.builder();
        int frames = b.reserve(), enabler = b.reserve(), rx = b.reserve(), cpu = b.reserve();
        TestNet.Recorder cpuRecorder = new TestNet.Recorder() {
            @Override
            protected void onEvent(Payload payload) {
                if (payload instanceof SoftirqWorker.HardIrq) arrivals.add(now());
            }
        };
        Frame f = frameTo(MAC_B);
        b.define(frames, () -> new Driver(rx, 1_000, new long[] {0, 1_000, 49_000}, new Payload[] {f, f, f}));
        b.define(enabler, () -> new Driver(rx, 1_000, new long[] {9_000}, new Payload[] {new NicRxQueue.IrqEnable()}));
        b.define(rx, () -> new NicRxQueue(new NicRxQueue.Config(256, 100_000, 2, false, 1_000), MAC_B, cpu));
        b.define(cpu, () -> cpuRecorder);
        b.edge(frames, rx, 1_000).edge(enabler, rx, 1_000).edge(rx, cpu, 1_000);
        SequentialEngine.run(b.build());
        assertEquals(List.of(3_000L, 151_000L), cpuRecorder.arrivals);
    }

    @Test
    void theMacFilterPassesOwnGroupAndEverythingWhenPromiscuous() {
        long other = 0x0200_0000_00ccL, broadcast = 0xffff_ffff_ffffL, multicast = 0x0100_5e00_00fbL;
        Frame[] frames = {frameTo(MAC_B), frameTo(broadcast), frameTo(multicast), frameTo(other)};
        assertEquals(List.of(1L, 1L, 1L, 0L), delivered(frames, false));
        assertEquals(List.of(1L, 1L, 1L, 1L), delivered(frames, true));
    }

    /** For each frame alone: how many DMA writes reached the CPU. */
    private static List<Long> delivered(Frame[] frames, boolean promiscuous) {
        List<Long> counts = new ArrayList<>();
        for (Frame frame : frames) {
            InMemoryScenario.Builder b = InMemoryScenario.builder();
            int source = b.reserve(), rx = b.reserve(), cpu = b.reserve();
            TestNet.Recorder cpuRecorder = new TestNet.Recorder() {
                @Override
                protected void onEvent(Payload payload) {
                    if (payload instanceof SoftirqWorker.RxDma) arrivals.add(now());
                }
            };
            b.define(source, () -> new Driver(rx, 1_000, new long[] {0}, new Payload[] {frame}));
            b.define(rx, () -> new NicRxQueue(new NicRxQueue.Config(256, 0, 0, promiscuous, 1_000), MAC_B, cpu));
            b.define(cpu, () -> cpuRecorder);
            b.edge(source, rx, 1_000).edge(rx, cpu, 1_000);
            SequentialEngine.run(b.build());
            counts.add((long) cpuRecorder.arrivals.size());
        }
        return counts;
    }

    @Test
    void txCleanWaitsForTheCpuBusyWithAnRxPoll() {
        // 64 frames and their IRQ arrive at 1 us; a tx completion at 2 us. The poll of 64 x 500 ns
        // keeps the CPU until 33 us; the tx clean runs in the next poll, not beside it.
        InMemoryScenario.Builder b = InMemoryScenario.builder();
        int rxDriver = b.reserve(), txDriver = b.reserve(), cpu = b.reserve(), host = b.reserve();
        Payload[] rxEvents = new Payload[65];
        long[] rxTimes = new long[65];
        for (int i = 0; i < 64; i++) rxEvents[i] = new SoftirqWorker.RxDma(frameTo(MAC_B));
        rxEvents[64] = new SoftirqWorker.HardIrq();
        Driver rxSide = new Driver(cpu, 1_000, rxTimes, rxEvents);
        Driver txSide = new Driver(cpu, 1_000, new long[] {1_000},
                new Payload[] {new SoftirqWorker.TxIrq(new SkBuff[] {SkBuff.allocate(64, 60)})});
        b.define(rxDriver, () -> rxSide);
        b.define(txDriver, () -> txSide);
        b.define(cpu, () -> new SoftirqWorker(SoftirqWorker.Config.linuxDefaults(), host,
                List.of(new SoftirqWorker.Napi(rxDriver, txDriver, 1, "rx_queue_0"))));
        b.define(host, TestNet.Recorder::new);
        b.edge(rxDriver, cpu, 1_000).edge(txDriver, cpu, 1_000).edge(cpu, rxDriver, 200).edge(cpu, txDriver, 200)
                .edge(cpu, host, 500);
        SequentialEngine.run(b.build());
        List<Long> cleanedAt = new ArrayList<>();
        for (int i = 0; i < txSide.received.size(); i++) {
            if (txSide.received.get(i) instanceof NicTxQueue.TxCleaned) cleanedAt.add(txSide.receivedAt.get(i));
        }
        assertEquals(1, cleanedAt.size());
        long cleaned = cleanedAt.get(0);
        assertTrue(cleaned >= 1_000 + 64 * 500, "the tx clean reached the NIC at " + cleaned + " ns, during the poll");
    }
}
