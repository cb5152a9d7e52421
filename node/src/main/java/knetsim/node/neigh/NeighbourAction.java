package knetsim.node.neigh;

import java.util.List;
import java.util.Objects;

import knetsim.link.ethernet.MacAddress;
import knetsim.node.skb.SkbDropReason;

/**
 * What a {@link NeighbourEntry} asks its owner to do, in order; the entry only decides, so it stays a plain,
 * deterministic object that any actor can drive.
 *
 * @param <P> the owner's packet type, opaque to the entry
 */
public sealed interface NeighbourAction<P>
        permits NeighbourAction.SendRequest, NeighbourAction.Transmit, NeighbourAction.Drop {

    /**
     * arp_solicit(): send an ARP request for the entry's address, to everyone or to the address already known.
     *
     * @param destination {@link MacAddress#BROADCAST} when {@code broadcast}, otherwise the neighbour's address
     */
    record SendRequest<P>(boolean broadcast, MacAddress destination) implements NeighbourAction<P> {
        public SendRequest {
            Objects.requireNonNull(destination, "destination");
        }
    }

    /** Send these packets, in this order, to {@code destination}: neigh->output() with the resolved address. */
    record Transmit<P>(List<P> packets, MacAddress destination) implements NeighbourAction<P> {
        public Transmit {
            packets = List.copyOf(packets);
            Objects.requireNonNull(destination, "destination");
        }
    }

    /**
     * Free these packets with {@code reason}: NEIGH_QUEUEFULL for arp_queue overflow, NEIGH_FAILED when
     * resolution failed, for which the owner also sends ICMP host unreachable (arp_error_report()).
     */
    record Drop<P>(List<P> packets, SkbDropReason reason) implements NeighbourAction<P> {
        public Drop {
            packets = List.copyOf(packets);
            Objects.requireNonNull(reason, "reason");
        }
    }
}
