package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Which counter scopes are a NIC's queues: drops.csv and the per-interface sums read them by name. */
class ScopeNamesTest {

    @Test
    void aQueueIsTheThirdPartTxOrRxAndDigits() {
        assertEquals("tx0", DropAccounting.queueOf("h1.eth0.tx0"));
        assertEquals("rx12", DropAccounting.queueOf("core.eth19.rx12"));
    }

    @Test
    void otherScopesAreNotQueues() {
        assertNull(DropAccounting.queueOf("h1.eth0"));          // the interface itself
        assertNull(DropAccounting.queueOf("h1.eth0.tx"));       // no number
        assertNull(DropAccounting.queueOf("h1.eth0.tx0a"));     // not only digits
        assertNull(DropAccounting.queueOf("h1.eth0.qdisc"));
        assertNull(DropAccounting.queueOf("h1.eth0.tx0.x"));    // four parts
        assertNull(DropAccounting.queueOf("link.h1.eth0.tx0")); // a cable direction
        assertNull(DropAccounting.queueOf("h1"));
    }
}
