package knetsim.node.inet;

import knetsim.node.ipv4.Ipv4Address;

/** A transport's bytes, written once the route has chosen the source address (the pseudo-header checksum needs it). */
public interface Transport {
    int length();

    void emit(byte[] b, int off, Ipv4Address source, Ipv4Address destination);

    /** skb->tstamp the transport sets: the packet's earliest departure time (EDT, TCP pacing); 0 means "now". */
    default long departureTime() {
        return 0;
    }
}
