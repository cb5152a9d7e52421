package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CountersTest {
    @Test
    void aNameHasOneHandleAndTheSnapshotIsSortedByName() {
        Counters counters = new Counters();
        TreeMap<String, Long> expected = new TreeMap<>();
        SplittableRandom random = new SplittableRandom(3);
        List<String> names = List.of("rx_packets", "IpInReceives", "drop_NO_SOCKET", "tx_bytes", "IpExtInOctets",
                "UdpInDatagrams", "a", "Z", "rx_bytes", "tx_packets", "IcmpOutMsgs", "drop_OTHERHOST");
        for (int i = 0; i < 500; i++) {
            String name = names.get(random.nextInt(names.size()));
            long delta = random.nextInt(1000);
            Counters.Counter c = counters.counter(name);
            assertSame(c, counters.counter(name), name);
            c.add(delta);
            expected.merge(name, delta, Long::sum);
        }
        assertEquals(expected, counters.snapshot());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(counters.snapshot().keySet()));
        for (String name : names) assertEquals(expected.getOrDefault(name, 0L), counters.get(name), name);
        assertEquals(0, counters.get("never_counted"));
        // what a run reports at its end: the same names in the same order, and the values beside them
        assertEquals(List.copyOf(expected.keySet()), List.of(counters.names()));
        long[] values = counters.values();
        assertEquals(expected.size(), values.length);
        int i = 0;
        for (long v : expected.values()) assertEquals(v, values[i++]);
    }
}
