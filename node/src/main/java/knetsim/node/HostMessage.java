package knetsim.node;

import knetsim.core.engine.Payload;
import knetsim.link.Frame;
import knetsim.node.skb.SkBuff;
import knetsim.node.socket.Fingerprint;
import knetsim.node.socket.Syscall;

/** The messages of the {@link Host} LP: frames in, transmit completions, system calls, and its own timer. */
public sealed interface HostMessage extends Payload {
    /** netif_receive_skb(): a frame that came in on interface {@code ifindex}; data is at its Ethernet header. */
    record Receive(int ifindex, SkBuff skb) implements HostMessage {
        @Override
        public long fingerprint() {
            return skb.contentHash() * 31 + ifindex;
        }
    }

    /**
     * The driver freed these transmitted skbs (the point where socket write memory is released):
     * {@code owners[i]} gets {@code truesizes[i]} back.
     */
    record TxCompleted(int ifindex, int packets, long bytes, int[] owners, int[] truesizes) implements HostMessage {
        public TxCompleted(int ifindex, int packets, long bytes) {
            this(ifindex, packets, bytes, new int[0], new int[0]);
        }

        @Override
        public long fingerprint() {
            return ((ifindex * 31L + packets) * 31 + bytes) * 31 + java.util.Arrays.hashCode(owners);
        }
    }

    /** A process's system call; the process is the event's sender. */
    record SystemCall(long callId, Syscall call) implements HostMessage {
        @Override
        public long fingerprint() {
            return callId * 1_000_003L + Fingerprint.of(call);
        }
    }

    /** Self event: a planned frame leaves now. */
    record Transmit(byte[] frame, int priority) implements HostMessage {
        @Override
        public long fingerprint() {
            return Frame.hashOf(frame) * 31 + priority;
        }
    }

    /** Self event: process_backlog() takes a frame lo queued with netif_rx() (an Ethernet header of zero addresses). */
    record Loopback(byte[] frame, int owner) implements HostMessage {
        @Override
        public long fingerprint() {
            return Frame.hashOf(frame) * 31 + owner;
        }
    }

    /** Self event: the host's timer queue's earliest deadline; one that is no longer the earliest is ignored. */
    record Timer(long deadline) implements HostMessage {
        @Override
        public long fingerprint() {
            return deadline;
        }
    }
}
