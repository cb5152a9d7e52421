package knetsim.node.skb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Drop reasons are matched against kernel traces by name, so a misspelt constant would silently never match. */
class SkbDropReasonTest {

    @Test
    void theReasonsTheDesignNamesExistWithTheKernelsSpelling() {
        String[] required = {"NOT_SPECIFIED", "NO_SOCKET", "PKT_TOO_SMALL", "TCP_CSUM", "UDP_CSUM", "NETFILTER_DROP",
            "OTHERHOST", "IP_CSUM", "IP_INHDR", "IP_RPFILTER", "IP_OUTNOROUTES", "IP_INNOROUTES", "SOCKET_RCVBUFF",
            "PROTO_MEM", "QDISC_DROP", "NEIGH_FAILED", "NEIGH_QUEUEFULL", "NEIGH_CREATEFAIL", "FULL_RING",
            "DEV_READY", "CPU_BACKLOG", "TC_EGRESS", "PKT_TOO_BIG", "FRAG_REASM_TIMEOUT", "FRAG_TOO_FAR",
            // TCP (issue 9): what tcp_v4_rcv(), tcp_validate_incoming(), tcp_ack(), tcp_data_queue() and
            // tcp_check_req() drop with
            "SOCKET_BACKLOG", "TCP_FLAGS", "TCP_ABORT_ON_DATA", "TCP_ZEROWINDOW", "TCP_OLD_DATA", "TCP_OVERWINDOW",
            "TCP_OFOMERGE", "TCP_RFC7323_PAWS", "TCP_RFC7323_PAWS_ACK", "TCP_RFC7323_TW_PAWS", "TCP_RFC7323_TSECR",
            "TCP_LISTEN_OVERFLOW", "TCP_OLD_SEQUENCE", "TCP_INVALID_SEQUENCE", "TCP_INVALID_END_SEQUENCE",
            "TCP_INVALID_ACK_SEQUENCE", "TCP_RESET", "TCP_INVALID_SYN", "TCP_CLOSE", "TCP_OLD_ACK", "TCP_TOO_OLD_ACK",
            "TCP_ACK_UNSENT_DATA", "TCP_OFO_QUEUE_PRUNE", "TCP_OFO_DROP"};
        for (String name : required) {
            assertEquals("SKB_DROP_REASON_" + name, SkbDropReason.valueOf(name).kernelName());
        }
    }

    /** dropreason-core.h lists the TCP reasons in this order; ours keep it, so the two read side by side. */
    @Test
    void theTcpReasonsAreInTheKernelsOrder() {
        String[] kernelOrder = {"SOCKET_BACKLOG", "TCP_FLAGS", "TCP_ABORT_ON_DATA", "TCP_ZEROWINDOW", "TCP_OLD_DATA",
            "TCP_OVERWINDOW", "TCP_OFOMERGE", "TCP_RFC7323_PAWS", "TCP_RFC7323_PAWS_ACK", "TCP_RFC7323_TW_PAWS",
            "TCP_RFC7323_TSECR", "TCP_LISTEN_OVERFLOW", "TCP_OLD_SEQUENCE", "TCP_INVALID_SEQUENCE",
            "TCP_INVALID_END_SEQUENCE", "TCP_INVALID_ACK_SEQUENCE", "TCP_RESET", "TCP_INVALID_SYN", "TCP_CLOSE",
            "TCP_OLD_ACK", "TCP_TOO_OLD_ACK", "TCP_ACK_UNSENT_DATA", "TCP_OFO_QUEUE_PRUNE", "TCP_OFO_DROP",
            "IP_OUTNOROUTES"};
        for (int i = 1; i < kernelOrder.length; i++) {
            SkbDropReason earlier = SkbDropReason.valueOf(kernelOrder[i - 1]);
            SkbDropReason later = SkbDropReason.valueOf(kernelOrder[i]);
            assertTrue(earlier.ordinal() < later.ordinal(), earlier + " before " + later);
        }
    }

    @Test
    void theTwoNonDropValuesKeepTheirOwnPrefix() {
        assertEquals("SKB_NOT_DROPPED_YET", SkbDropReason.NOT_DROPPED_YET.kernelName());
        assertEquals("SKB_CONSUMED", SkbDropReason.CONSUMED.kernelName());
        assertFalse(SkbDropReason.NOT_DROPPED_YET.isDrop());
        assertFalse(SkbDropReason.CONSUMED.isDrop());
        assertTrue(SkbDropReason.QDISC_DROP.isDrop());
        assertEquals(0, SkbDropReason.NOT_DROPPED_YET.ordinal(), "the kernel's value 0 is the default");
    }
}
