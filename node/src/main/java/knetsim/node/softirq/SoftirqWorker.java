package knetsim.node.softirq;

import java.util.ArrayDeque;
import knetsim.core.engine.Counters;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.core.time.SimTime;
import knetsim.link.Frame;
import knetsim.node.Host;
import knetsim.node.nic.NicRxQueue;
import knetsim.node.nic.NicTxQueue;
import knetsim.node.skb.SkBuff;

/**
 * One CPU's NET_RX/NET_TX softirq (ksoftirqd/N). A hard IRQ puts its queue's NAPI instance on the
 * poll list; net_rx_action polls the list in turn, up to the NAPI weight per poll, until the list
 * is empty, the netdev_budget is spent or the time limit passes (time_squeeze). Each packet costs
 * CPU time, so a CPU slower than the arrivals falls behind, the ring is refilled late and the NIC
 * drops (rx_missed_errors). One poll is one event, so packets DMA'd meanwhile are seen by the next.
 */
public final class SoftirqWorker extends LogicalProcess {
    public sealed interface Message extends Payload permits RxDma, HardIrq, TxIrq, NetRxAction {}

    /** A received frame is in host memory, in rx queue {@code queue}'s ring. */
    public record RxDma(int queue, Frame frame) implements Message {
        @Override
        public long fingerprint() {
            return frame.fingerprint() * 31 + queue;
        }
    }

    /** The rx queue's interrupt: napi_schedule(). */
    public record HardIrq(int queue) implements Message {
        @Override
        public long fingerprint() {
            return queue;
        }
    }

    /** Tx completion interrupt: these skbs have left and their descriptors can be cleaned. */
    public record TxIrq(int queue, SkBuff[] completed) implements Message {
        @Override
        public long fingerprint() {
            return queue * 31L + completed.length;
        }
    }

    /** Self event: run the next NAPI poll of net_rx_action. */
    record NetRxAction() implements Message {
        @Override
        public long fingerprint() {
            return 7;
        }
    }

    /**
     * @param packetCost  CPU time per received packet, from the driver's poll through netif_receive_skb
     *                    and the protocol handlers; also the minimum delay to the host
     * @param cleanCost   CPU time per completed tx descriptor
     * @param doorbell    from the CPU back to the NIC (register write); > 0
     */
    public record Config(int netdevBudget, long budgetTime, int napiWeight, long packetCost, long cleanCost,
                         long doorbell) {
        public Config {
            if (netdevBudget < 1 || napiWeight < 1) throw new IllegalArgumentException("budget and weight must be >= 1");
            if (packetCost <= 0 || doorbell <= 0 || cleanCost < 0 || budgetTime <= 0) {
                throw new IllegalArgumentException("packet cost, doorbell and budget time must be > 0");
            }
        }

        /** netdev_budget 300, netdev_budget_usecs 2000, NAPI weight 64; 500 ns per packet. */
        public static Config linuxDefaults() {
            return new Config(300, 2 * SimTime.MILLISECOND, 64, 500, 50, 200);
        }
    }

    private final Config config;
    private final int hostLp;
    private final int[] rxQueueLps;
    private final int[] txQueueLps;
    private final ArrayDeque<Frame>[] rings;
    private final boolean[] scheduled;
    private final ArrayDeque<Integer> pollList = new ArrayDeque<>();
    private boolean running;
    private boolean inRound;
    private int roundBudget;
    private long roundDeadline;
    private long cpuFreeAt;
    private Counters.Counter processed, timeSqueeze, softirqTime;
    private Counters.Counter[] rxPackets, rxBytes;

    @SuppressWarnings("unchecked")
    public SoftirqWorker(Config config, int hostLp, int[] rxQueueLps, int[] txQueueLps) {
        this.config = config;
        this.hostLp = hostLp;
        this.rxQueueLps = rxQueueLps.clone();
        this.txQueueLps = txQueueLps.clone();
        this.rings = new ArrayDeque[rxQueueLps.length];
        for (int q = 0; q < rings.length; q++) rings[q] = new ArrayDeque<>();
        this.scheduled = new boolean[rxQueueLps.length];
    }

    @Override
    protected void onStart() {
        processed = counters().counter("softnet_processed");
        timeSqueeze = counters().counter("softnet_time_squeeze");
        counters().counter("softnet_dropped"); // backlog drops: NAPI drivers never use the backlog here
        softirqTime = counters().counter("softirq_ns");
        rxPackets = new Counters.Counter[rings.length];
        rxBytes = new Counters.Counter[rings.length];
        for (int q = 0; q < rings.length; q++) {
            rxPackets[q] = counters().counter("rx_queue_" + q + "_packets");
            rxBytes[q] = counters().counter("rx_queue_" + q + "_bytes");
        }
    }

    @Override
    protected void onEvent(Payload payload) {
        if (payload instanceof RxDma dma) {
            rings[dma.queue()].add(dma.frame());
        } else if (payload instanceof HardIrq irq) {
            napiSchedule(irq.queue());
        } else if (payload instanceof NetRxAction) {
            netRxActionStep();
        } else if (payload instanceof TxIrq tx) {
            cleanTx(tx);
        } else {
            throw new IllegalArgumentException("SoftirqWorker cannot handle " + payload.getClass().getSimpleName());
        }
    }

    // napi_schedule(): put the queue on this CPU's poll list and raise NET_RX_SOFTIRQ.
    private void napiSchedule(int queue) {
        if (!scheduled[queue]) {
            scheduled[queue] = true;
            pollList.add(queue);
        }
        if (!running) {
            running = true;
            schedule(Math.max(0, cpuFreeAt - now()), new NetRxAction());
        }
    }

    // net_rx_action(), one napi_poll() per step.
    private void netRxActionStep() {
        if (!inRound) {
            inRound = true;
            roundBudget = config.netdevBudget();
            roundDeadline = now() + config.budgetTime();
        }
        int queue = pollList.poll();
        int work = napiPoll(queue);
        long end = now() + work * config.packetCost();
        softirqTime.add(work * config.packetCost());
        roundBudget -= work;
        if (work < config.napiWeight()) {
            scheduled[queue] = false; // napi_complete_done(): the ring is drained
            send(rxQueueLps[queue], end - now() + config.doorbell(), new NicRxQueue.IrqEnable());
        } else {
            pollList.add(queue); // the whole weight was used: poll it again, after the others
        }
        cpuFreeAt = end;
        if (pollList.isEmpty()) {
            running = false;
            inRound = false;
            return;
        }
        if (roundBudget <= 0 || end >= roundDeadline) {
            timeSqueeze.increment(); // work left when the budget ran out: ksoftirqd continues
            inRound = false;
        }
        schedule(end - now(), new NetRxAction());
    }

    // The driver's poll: build an skb for each received frame and pass it up, then refill the ring.
    private int napiPoll(int queue) {
        ArrayDeque<Frame> ring = rings[queue];
        int work = Math.min(config.napiWeight(), ring.size());
        for (int i = 1; i <= work; i++) {
            Frame frame = ring.poll();
            SkBuff skb = SkBuff.allocate(Host.NET_SKB_PAD, frame.length());
            System.arraycopy(frame.bytes(), 0, skb.buffer(), skb.put(frame.length()), frame.length());
            rxPackets[queue].increment();
            rxBytes[queue].add(frame.length());
            processed.increment();
            send(hostLp, i * config.packetCost(), new Host.Receive(queue, skb)); // netif_receive_skb()
        }
        if (work > 0) {
            send(rxQueueLps[queue], work * config.packetCost() + config.doorbell(), new NicRxQueue.Refill(work));
        }
        return work;
    }

    // The tx clean half of the driver's poll: free the descriptors, tell the host what left.
    private void cleanTx(TxIrq tx) {
        long cost = tx.completed().length * config.cleanCost();
        softirqTime.add(cost);
        send(txQueueLps[tx.queue()], cost + config.doorbell(), new NicTxQueue.TxCleaned(tx.completed().length));
        long bytes = 0;
        for (SkBuff skb : tx.completed()) bytes += skb.len();
        send(hostLp, Math.max(cost, config.packetCost()), new Host.TxCompleted(tx.queue(), tx.completed().length, bytes));
    }
}
