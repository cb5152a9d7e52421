package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import knetsim.topology.config.RecordSpec;
import org.junit.jupiter.api.Test;

/** Recorded series names resolve to the LPs and kernel counter names that hold them. */
class SeriesProbesTest {
    static final Map<Integer, String> SCOPES = new TreeMap<>(Map.of(0, "h1", 1, "h1.cpu0", 2, "h1.eth0.tx0",
            3, "h1.eth0.rx0", 4, "h1.eth0.rx1", 5, "h2", 6, "h2.eth0.tx0", 7, "link.h1.eth0-h2.eth0"));

    private static Map<Integer, List<String>> resolve(String series, List<String> unmatched) {
        Map<Integer, List<String>> out = new TreeMap<>();
        SeriesProbes.resolve(new RecordSpec(1_000_000, List.of(series)), SCOPES, unmatched)
                .forEach((lp, probes) -> out.put(lp, probes.stream().map(p -> p[1]).toList()));
        return out;
    }

    @Test
    void layersPickTheirLpsAndTheKernelName() {
        List<String> unmatched = new ArrayList<>();
        assertEquals(Map.of(2, List.of("qdisc_backlog_packets")), resolve("h1.eth0:qdisc:backlog", unmatched));
        assertEquals(Map.of(2, List.of("qdisc_dropped")), resolve("h1.eth0:qdisc:drops", unmatched));
        assertEquals(Map.of(3, List.of("rx_missed_errors"), 4, List.of("rx_missed_errors")),
                resolve("h1.eth0:rx:missed_errors", unmatched), "every rx queue, summed later");
        assertEquals(Map.of(1, List.of("softnet_time_squeeze")), resolve("h1:softnet:time_squeeze", unmatched));
        assertEquals(Map.of(1, List.of("softnet_time_squeeze")), resolve("h1.cpu0:softnet:time_squeeze", unmatched));
        assertEquals(Map.of(0, List.of("UdpRcvbufErrors")), resolve("h1:udp:UdpRcvbufErrors", unmatched));
        assertEquals(List.of(), unmatched);
    }

    @Test
    void aStarMatchesWithinANameAndNothingIsAnUnmatchedSeries() {
        List<String> unmatched = new ArrayList<>();
        assertEquals(Map.of(0, List.of("IpInReceives"), 5, List.of("IpInReceives")), resolve("h*:ip:IpInReceives", unmatched));
        assertEquals(Map.of(2, List.of("tx_bytes"), 6, List.of("tx_bytes")), resolve("h*.eth0:tx:bytes", unmatched));
        assertEquals(Map.of(), resolve("r9:ip:IpInReceives", unmatched));
        assertEquals(List.of("r9:ip:IpInReceives"), unmatched);
    }
}
