package knetsim.node.skb;

/**
 * Why a packet was freed, named as the kernel's {@code enum skb_drop_reason} (include/net/dropreason-core.h) so a
 * run's drop counts read like {@code kfree_skb} tracepoint output. Only the reasons the simulator can produce are
 * listed, in the kernel's order (Linux 6.17; the TCP reasons added in 6.9-6.17 included); the one-line notes
 * paraphrase the kernel's own comments. Left out because nothing here can cause them: the TCP-MD5/TCP-AO
 * reasons, TCP_FASTOPEN (no TFO) and TCP_MINTTL (no IP_MINTTL).
 */
public enum SkbDropReason {
    /** SKB_NOT_DROPPED_YET: the skb is alive; every new skb starts here. */
    NOT_DROPPED_YET,
    /** SKB_CONSUMED: freed after normal use (consume_skb), not a drop. */
    CONSUMED,
    /** Drop reason is not specified. */
    NOT_SPECIFIED,
    /** No socket matches the packet (udp_rcv, tcp_v4_rcv). */
    NO_SOCKET,
    /** Packet shorter than its headers claim. */
    PKT_TOO_SMALL,
    /** TCP checksum error. */
    TCP_CSUM,
    /** Dropped by a socket filter. */
    SOCKET_FILTER,
    /** UDP checksum error. */
    UDP_CSUM,
    /** Dropped by a netfilter rule (NF_DROP). */
    NETFILTER_DROP,
    /** L2 destination is another host; seen only because the interface is promiscuous. */
    OTHERHOST,
    /** IPv4 header checksum error. */
    IP_CSUM,
    /** Something is wrong with the IP header (counted as IPSTATS_MIB_INHDRERRORS). */
    IP_INHDR,
    /** Reverse-path filter (rp_filter) validation failed. */
    IP_RPFILTER,
    /** No handler for the IP protocol number. */
    IP_NOPROTO,
    /** The socket's receive buffer is full (sk_rcvbuf). */
    SOCKET_RCVBUFF,
    /** Protocol memory limit hit, e.g. udp_memory_allocated over udp_mem. */
    PROTO_MEM,
    /** Could not add the skb to the socket backlog (LINUX_MIB_TCPBACKLOGDROP). */
    SOCKET_BACKLOG,
    /** TCP flags invalid. */
    TCP_FLAGS,
    /** Data arrived after the socket was closed, answered with RST (LINUX_MIB_TCPABORTONDATA). */
    TCP_ABORT_ON_DATA,
    /** TCP receive window is zero (LINUX_MIB_TCPZEROWINDOWDROP). */
    TCP_ZEROWINDOW,
    /** TCP data already received before (spurious retransmission). */
    TCP_OLD_DATA,
    /** TCP data beyond the right edge of the receive window. */
    TCP_OVERWINDOW,
    /** TCP data already in the out-of-order queue (LINUX_MIB_TCPOFOMERGE). */
    TCP_OFOMERGE,
    /** PAWS check failed (LINUX_MIB_PAWSESTABREJECTED). */
    TCP_RFC7323_PAWS,
    /** PAWS check failed on an old ACK (LINUX_MIB_PAWS_OLD_ACK). */
    TCP_RFC7323_PAWS_ACK,
    /** PAWS check failed in TIME_WAIT (LINUX_MIB_PAWS_TW_REJECTED). */
    TCP_RFC7323_TW_PAWS,
    /** PAWS check: invalid TSecr (LINUX_MIB_TSECRREJECTED). */
    TCP_RFC7323_TSECR,
    /** The listener's accept queue is full when the handshake completes (tcp_check_req()). */
    TCP_LISTEN_OVERFLOW,
    /** Old SEQ field: the whole segment is before rcv_wup (a duplicate). */
    TCP_OLD_SEQUENCE,
    /** TCP sequence number not acceptable. */
    TCP_INVALID_SEQUENCE,
    /** The segment's end is beyond the receive window while the receive queue is not empty. */
    TCP_INVALID_END_SEQUENCE,
    /** ACK field not between snd_una and snd_nxt. */
    TCP_INVALID_ACK_SEQUENCE,
    /** Invalid TCP RST. */
    TCP_RESET,
    /** Unexpected SYN flag. */
    TCP_INVALID_SYN,
    /** TCP socket in CLOSE state. */
    TCP_CLOSE,
    /** TCP ACK is old but in window. */
    TCP_OLD_ACK,
    /** TCP ACK is too old. */
    TCP_TOO_OLD_ACK,
    /** TCP ACK for data not sent yet. */
    TCP_ACK_UNSENT_DATA,
    /** Pruned from the TCP out-of-order queue under memory pressure. */
    TCP_OFO_QUEUE_PRUNE,
    /** Out-of-order data already in the receive queue. */
    TCP_OFO_DROP,
    /** Output route lookup failed (ip_route_output_flow); the kernel has no IP_NOROUTE. */
    IP_OUTNOROUTES,
    /** Failed to create a neighbour entry. */
    NEIGH_CREATEFAIL,
    /** Neighbour entry in FAILED state: ARP resolution gave up. */
    NEIGH_FAILED,
    /** The neighbour's arp_queue (unres_qlen) is full. */
    NEIGH_QUEUEFULL,
    /** Neighbour entry is dead. */
    NEIGH_DEAD,
    /** Dropped in the tc egress hook. */
    TC_EGRESS,
    /** The qdisc refused the packet on enqueue (limit, oversize). */
    QDISC_DROP,
    /** Per-CPU backlog full (netdev_max_backlog) or RPS flow limit. */
    CPU_BACKLOG,
    /** Dropped in the tc ingress hook. */
    TC_INGRESS,
    /** Protocol not implemented or not supported. */
    UNHANDLED_PROTO,
    /** Driver-specific header or metadata invalid. */
    DEV_HDR,
    /** Device not ready to transmit or receive, e.g. IFF_UP not set. */
    DEV_READY,
    /** Ring buffer is full. */
    FULL_RING,
    /** Out of memory. */
    NOMEM,
    /** Could not pull a protocol header (pskb_may_pull failed). */
    HDR_TRUNC,
    /** ICMP checksum error. */
    ICMP_CSUM,
    /** Packet breaks its protocol's RFC, e.g. a broadcast ICMP_TIMESTAMP. */
    INVALID_PROTO,
    /** Host unreachable (IPSTATS_MIB_INADDRERRORS). */
    IP_INADDRERRORS,
    /** Network unreachable on input or forwarding. */
    IP_INNOROUTES,
    /** Packet too big, e.g. over the MTU with DF set. */
    PKT_TOO_BIG,
    /** Duplicate IP fragment. */
    DUP_FRAG,
    /** IP reassembly timed out (ipfrag_time). */
    FRAG_REASM_TIMEOUT,
    /** IPv4 fragment too far from the others (ipfrag_max_dist). */
    FRAG_TOO_FAR,
    /** Freed in bulk when a queue is purged, e.g. on socket close. */
    QUEUE_PURGE;

    /** The kernel's identifier, as {@code perf} or {@code dropwatch} would print it. */
    public String kernelName() {
        if (this == NOT_DROPPED_YET || this == CONSUMED) return "SKB_" + name();
        return "SKB_DROP_REASON_" + name();
    }

    /** True for a real drop; false for an skb still in use or consumed normally. */
    public boolean isDrop() {
        return this != NOT_DROPPED_YET && this != CONSUMED;
    }
}
