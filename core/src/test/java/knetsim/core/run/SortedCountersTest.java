package knetsim.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import knetsim.core.engine.Counters;
import org.junit.jupiter.api.Test;

class SortedCountersTest {
    private static final String[] NAMES = {"IpInReceives", "rx_bytes", "rx_packets", "tx_dropped", "tx_packets"};
    private static final long[] VALUES = {7, 1500, 3, 0, 4};

    private static TreeMap<String, Long> tree() {
        TreeMap<String, Long> t = new TreeMap<>();
        for (int i = 0; i < NAMES.length; i++) t.put(NAMES[i], VALUES[i]);
        return t;
    }

    @Test
    void readsAsTheTreeMapOfTheSameCountersInBothDirections() {
        SortedCounters c = SortedCounters.of(NAMES.clone(), VALUES.clone());
        TreeMap<String, Long> t = tree();
        assertEquals(t, c);
        assertEquals(c, t);
        assertEquals(t.hashCode(), c.hashCode());
        assertEquals(t.toString(), c.toString());
        assertEquals(List.copyOf(t.keySet()), List.copyOf(c.keySet()));
        assertEquals(1500L, c.get("rx_bytes"));
        assertNull(c.get("rx_dropped"), "a counter the LP never made");
        assertNull(c.get(42));
        assertEquals(t.headMap("rx_packets"), c.headMap("rx_packets"));
        assertEquals(t.tailMap("rx_c"), c.tailMap("rx_c"));
        assertEquals(t.subMap("rx_bytes", "tx_packets"), c.subMap("rx_bytes", "tx_packets"));
        assertEquals(t.subMap("rx_bytes", "tx_packets").lastKey(), c.subMap("rx_bytes", "tx_packets").lastKey());
        assertTrue(c.headMap("A").isEmpty());
        assertEquals("IpInReceives", c.firstKey());
        assertEquals("tx_packets", c.lastKey());
    }

    @Test
    void walksEveryCounterInNameOrderAndIsReadOnly() {
        SortedCounters c = SortedCounters.of(NAMES.clone(), VALUES.clone());
        List<String> seen = new ArrayList<>();
        c.forEachCounter((name, value) -> seen.add(name + "=" + value));
        assertEquals(List.of("IpInReceives=7", "rx_bytes=1500", "rx_packets=3", "tx_dropped=0", "tx_packets=4"), seen);
        assertEquals("rx_packets", c.name(2));
        assertEquals(3, c.value(2));
        assertThrows(UnsupportedOperationException.class, () -> c.put("rx_dropped", 1L));
        assertThrows(UnsupportedOperationException.class, () -> c.entrySet().iterator().next().setValue(1L));
    }

    @Test
    void takesWhatAnLpsCountersHandOverAndRefusesArraysOutOfOrder() {
        Counters counters = new Counters();
        for (int i = NAMES.length - 1; i >= 0; i--) counters.counter(NAMES[i]).add(VALUES[i]);
        assertEquals(tree(), SortedCounters.of(counters.names(), counters.values()));
        assertThrows(IllegalArgumentException.class,
                () -> SortedCounters.of(new String[] {"tx_packets", "rx_packets"}, new long[] {1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> SortedCounters.of(new String[] {"rx_packets", "rx_packets"}, new long[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> SortedCounters.of(new String[] {"rx_packets"}, new long[0]));
    }
}
