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
            "DEV_READY", "CPU_BACKLOG", "TC_EGRESS", "PKT_TOO_BIG", "FRAG_REASM_TIMEOUT", "FRAG_TOO_FAR"};
        for (String name : required) {
            assertEquals("SKB_DROP_REASON_" + name, SkbDropReason.valueOf(name).kernelName());
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
