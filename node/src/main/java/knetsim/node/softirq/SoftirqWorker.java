package knetsim.node.softirq;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import knetsim.core.engine.Counters;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.core.time.SimTime;
import knetsim.link.Frame;
import knetsim.node.HostMessage;
import knetsim.node.nic.NicRxQueue;
import knetsim.node.nic.NicTxQueue;
import knetsim.node.skb.SkBuff;

/**
 * One CPU's NET_RX softirq (ksoftirqd/N) and the NAPI instances bound to it. A hard IRQ puts its
 * NAPI on the poll list; net_rx_action polls each listed NAPI once per call (tx clean first, then
 * up to the NAPI weight of received packets), requeues one that used its whole weight, and stops
 * when the netdev_budget or the time limit is spent (time_squeeze). Every packet and descriptor
 * costs CPU time on one timeline, so a CPU slower than the arrivals refills its rings late and the
 * NIC drops (rx_missed_errors). One NAPI poll is one event: packets DMA'd meanwhile are seen next.
 */
public final class SoftirqWorker extends LogicalProcess {
    public sealed interface Message extends Payload permits RxDma, HardIrq, TxIrq, NetRxAction {}

    /** A received frame is in host memory, in the sending rx queue's ring. */
    public record RxDma(Frame frame) implements Message {
        @Override
        public long fingerprint() {
            return frame.fingerprint();
        }
    }

    /** The sending rx queue's interrupt: napi_schedule(). */
    public record HardIrq() implements Message {
        @Override
        public long fingerprint() {
            return 1;
        }
    }

    /** The sending tx queue's completion interrupt: these skbs have left the wire. */
    /** Transmitted skbs whose descriptors are done, and skbs dropped before the wire that a socket still pays for. */
    public record TxIrq(SkBuff[] completed, SkBuff[] freed) implements Message {
        public TxIrq(SkBuff[] completed) {
            this(completed, new SkBuff[0]);
        }

        @Override
        public long fingerprint() {
            long h = completed.length;
            for (SkBuff skb : completed) h = h * 31 + skb.contentHash();
            for (SkBuff skb : freed) h = h * 37 + skb.contentHash();
            return h;
        }
    }

    /** Self event: the next NAPI poll of net_rx_action. */
    record NetRxAction() implements Message {
        @Override
        public long fingerprint() {
            return 7;
        }
    }

    /** The one NetRxAction: it carries nothing, so every poll step reuses it. */
    private static final NetRxAction NET_RX_ACTION = new NetRxAction();

    /**
     * A NAPI instance: an rx queue and the tx queue sharing its interrupt vector (-1: none), and
     * the interface the frames came in on. {@code name} prefixes its counters, e.g. "rx_queue_0".
     */
    public record Napi(int rxQueueLp, int txQueueLp, int ifindex, String name) {}

    /**
     * @param budgetTime netdev_budget_usecs in ns: 2 * USEC_PER_SEC / HZ, so 2 ms at HZ=1000 (8 ms at 250)
     * @param packetCost CPU time per received packet, from the driver's poll through netif_receive_skb
     *                   and the protocol handlers; also the minimum delay to the host
     * @param cleanCost  CPU time per completed tx descriptor
     * @param doorbell   from the CPU back to the NIC (register write); > 0
     */
    public record Config(int netdevBudget, long budgetTime, int napiWeight, long packetCost, long cleanCost,
                         long doorbell) {
        public Config {
            if (netdevBudget < 1 || napiWeight < 1) throw new IllegalArgumentException("budget and weight must be >= 1");
            if (packetCost <= 0 || doorbell <= 0 || cleanCost < 0 || budgetTime <= 0) {
                throw new IllegalArgumentException("packet cost, doorbell and budget time must be > 0");
            }
        }

        /** netdev_budget 300, netdev_budget_usecs 2000 (HZ=1000), NAPI weight 64; 500 ns per packet. */
        public static Config linuxDefaults() {
            return new Config(300, 2 * SimTime.MILLISECOND, 64, 500, 50, 200);
        }
    }

    private final Config config;
    private final int hostLp;
    private final List<Napi> napis;
    // the NAPI of each bound queue LP, as sorted LP ids and their NAPI indexes: looked up for every event, unboxed
    private final int[] rxLps, rxNapis, txLps, txNapis;
    private final ArrayDeque<Frame>[] rings;
    private final List<SkBuff>[] toClean;
    private final List<SkBuff>[] toFree;
    private final boolean[] scheduled;
    private ArrayDeque<Integer> pollList = new ArrayDeque<>(); // sd->poll_list
    private ArrayDeque<Integer> list = new ArrayDeque<>();     // this net_rx_action's list
    private ArrayDeque<Integer> repoll = new ArrayDeque<>();
    private boolean raised;
    private boolean inAction;
    private int budget;
    private long deadline;
    private long cpuFreeAt;
    private Counters.Counter processed, timeSqueeze, softirqTime;
    private Counters.Counter[] rxPackets, rxBytes;

    @SuppressWarnings("unchecked")
    public SoftirqWorker(Config config, int hostLp, List<Napi> napis) {
        this.config = config;
        this.hostLp = hostLp;
        this.napis = List.copyOf(napis);
        int n = napis.size();
        this.rings = new ArrayDeque[n];
        this.toClean = new List[n];
        this.toFree = new List[n];
        this.scheduled = new boolean[n];
        Map<Integer, Integer> napiOfRx = new TreeMap<>();
        Map<Integer, Integer> napiOfTx = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            rings[i] = new ArrayDeque<>();
            toClean[i] = new ArrayList<>();
            toFree[i] = new ArrayList<>();
            if (napiOfRx.put(napis.get(i).rxQueueLp(), i) != null) throw new IllegalArgumentException("rx queue bound twice");
            if (napis.get(i).txQueueLp() >= 0) napiOfTx.put(napis.get(i).txQueueLp(), i);
        }
        rxLps = napiOfRx.keySet().stream().mapToInt(Integer::intValue).toArray();
        rxNapis = napiOfRx.values().stream().mapToInt(Integer::intValue).toArray();
        txLps = napiOfTx.keySet().stream().mapToInt(Integer::intValue).toArray();
        txNapis = napiOfTx.values().stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    protected void onStart() {
        processed = counters().counter("softnet_processed");
        timeSqueeze = counters().counter("softnet_time_squeeze");
        counters().counter("softnet_dropped"); // backlog drops: NAPI drivers never use the backlog here
        softirqTime = counters().counter("softirq_ns");
        rxPackets = new Counters.Counter[napis.size()];
        rxBytes = new Counters.Counter[napis.size()];
        for (int i = 0; i < napis.size(); i++) {
            rxPackets[i] = counters().counter(napis.get(i).name() + "_packets");
            rxBytes[i] = counters().counter(napis.get(i).name() + "_bytes");
        }
    }

    @Override
    protected void onEvent(Payload payload) {
        if (payload instanceof RxDma dma) {
            rings[napi(rxLps, rxNapis)].add(dma.frame());
        } else if (payload instanceof HardIrq) {
            napiSchedule(napi(rxLps, rxNapis));
        } else if (payload instanceof TxIrq tx) {
            int napi = napi(txLps, txNapis);
            List<SkBuff> done = toClean[napi], dropped = toFree[napi];
            for (SkBuff skb : tx.completed()) done.add(skb);
            for (SkBuff skb : tx.freed()) dropped.add(skb);
            napiSchedule(napi); // the shared vector: the poll cleans tx first
        } else if (payload instanceof NetRxAction) {
            netRxActionStep();
        } else {
            throw new IllegalArgumentException("SoftirqWorker cannot handle " + payload.getClass().getSimpleName());
        }
    }

    private int napi(int[] lps, int[] napiOf) {
        int at = java.util.Arrays.binarySearch(lps, sender());
        if (at < 0) throw new IllegalStateException("LP " + sender() + " is not bound to this CPU");
        return napiOf[at];
    }

    // napi_schedule(): put the NAPI on the poll list and raise NET_RX_SOFTIRQ.
    private void napiSchedule(int napi) {
        if (!scheduled[napi]) {
            scheduled[napi] = true;
            pollList.add(napi);
        }
        if (!raised) {
            raised = true;
            schedule(Math.max(0, cpuFreeAt - now()), NET_RX_ACTION);
        }
    }

    // net_rx_action(), one napi_poll() per step; each listed NAPI is polled once per call.
    private void netRxActionStep() {
        if (!inAction) {
            inAction = true;
            ArrayDeque<Integer> empty = list; // taken whole by the last endAction()
            list = pollList;
            pollList = empty;
            budget = config.netdevBudget();
            deadline = now() + config.budgetTime();
        }
        if (list.isEmpty()) {
            endAction(now());
            return;
        }
        int napi = list.poll();
        long t = now() + cleanTx(napi);
        int work = poll(napi, t);
        t += work * config.packetCost();
        budget -= work;
        // The ring's refill and napi_complete_done()'s interrupt enable are written at the end of the
        // poll, at the same instant: one event carries both (a refill alone when the NAPI is repolled).
        long doorbell = t - now() + config.doorbell();
        int rxQueue = napis.get(napi).rxQueueLp();
        if (work == config.napiWeight()) {
            repoll.add(napi); // the whole weight was used: more may be waiting
            send(rxQueue, doorbell, new NicRxQueue.Refill(work, false));
        } else {
            scheduled[napi] = false; // napi_complete_done(): re-enable the interrupt
            send(rxQueue, doorbell, work > 0 ? new NicRxQueue.Refill(work, true) : new NicRxQueue.IrqEnable());
        }
        softirqTime.add(t - now());
        cpuFreeAt = t;
        if (budget <= 0 || t >= deadline) {
            timeSqueeze.increment();
            endAction(t);
        } else if (list.isEmpty() && repoll.isEmpty()) {
            // nothing left to poll in this call: net_rx_action returns when this poll's CPU time is spent.
            // Ending it now gives what a step at t would (NAPIs scheduled until then start a new call at t,
            // cpuFreeAt), without an event that only finds the list empty.
            endAction(t);
        } else {
            schedule(t - now(), NET_RX_ACTION);
        }
    }

    // The end of net_rx_action: unpolled, then newly scheduled, then repoll; raise again if any.
    private void endAction(long at) {
        inAction = false;
        list.addAll(pollList);
        list.addAll(repoll);
        pollList.clear();
        repoll.clear();
        ArrayDeque<Integer> empty = pollList; // the three queues are kept and swapped, never made anew
        pollList = list;
        list = empty;
        if (pollList.isEmpty()) {
            raised = false;
        } else {
            schedule(at - now(), NET_RX_ACTION);
        }
    }

    // The tx half of the driver's poll: free the completed descriptors; not charged to the budget.
    private long cleanTx(int napi) {
        List<SkBuff> done = toClean[napi], dropped = toFree[napi];
        if (done.isEmpty() && dropped.isEmpty()) return 0;
        int packets = done.size();
        long cost = (packets + dropped.size()) * config.cleanCost();
        long bytes = 0;
        int owned = dropped.size();
        for (int i = 0; i < packets; i++) {
            SkBuff skb = done.get(i);
            bytes += skb.len();
            if (skb.ownerSocket() >= 0) owned++;
        }
        if (packets > 0) {
            send(napis.get(napi).txQueueLp(), cost + config.doorbell(), new NicTxQueue.TxCleaned(packets));
        }
        // sock_wfree() for every skb a socket was charged for: the completed ones it owns, then the dropped
        int[] owners = new int[owned], truesizes = new int[owned];
        int o = 0;
        for (int i = 0; i < packets; i++) {
            SkBuff skb = done.get(i);
            if (skb.ownerSocket() < 0) continue;
            owners[o] = skb.ownerSocket();
            truesizes[o++] = skb.truesize();
        }
        for (int i = 0; i < dropped.size(); i++) {
            owners[o] = dropped.get(i).ownerSocket();
            truesizes[o++] = dropped.get(i).truesize();
        }
        done.clear(); // the lists are kept for the next completions
        dropped.clear();
        send(hostLp, Math.max(cost, config.packetCost()),
                new HostMessage.TxCompleted(napis.get(napi).ifindex(), packets, bytes, owners, truesizes));
        return cost;
    }

    // The rx half: an skb for each frame, passed up in turn, then the ring refilled.
    private int poll(int napi, long start) {
        ArrayDeque<Frame> ring = rings[napi];
        int work = Math.min(config.napiWeight(), ring.size());
        long offset = start - now();
        for (int i = 1; i <= work; i++) {
            Frame frame = ring.poll();
            SkBuff skb = SkBuff.ofFrame(SkBuff.NET_SKB_PAD, frame);
            rxPackets[napi].increment();
            rxBytes[napi].add(frame.length());
            processed.increment();
            send(hostLp, offset + i * config.packetCost(), new HostMessage.Receive(napis.get(napi).ifindex(), skb));
        }
        return work;
    }
}
