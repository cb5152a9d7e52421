package knetsim.topology.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTableTest {
    private final String text = SummaryTable.render(SampleReports.dumbbell());
    private final List<String> lines = Arrays.asList(text.split("\n"));

    @Test
    void flowRowsShowDeliveryLossGoodputAndDelay() {
        assertEquals(List.of("h1->h2:9000", "udp-cbr", "9,950/10,000", "46", "4", "0.50%", "19.1", "Mbit/s", "one-way",
                "10.250", "12.750"), cells(line("h1->h2:9000 udp-cbr")));
        assertEquals(List.of("h3->h4:80", "\"bulk,", "cubic\"", "800/800", "0", "0", "0.00%", "8.0", "Mbit/s", "rtt",
                "20.000", "22.500"), cells(line("h3->h4:80")));
    }

    @Test
    void interfaceRowsAddQdiscAndTxDropsAsQueueDrops() {
        // rx packets, tx packets, queue drops (qdisc_dropped 40 + tx_dropped 2), ring overruns
        assertEquals(List.of("r1.eth1", "-", "9,960", "42", "-"), cells(line("  r1.eth1 ")));
        assertEquals(List.of("h2.eth0", "9,950", "5", "-", "8"), cells(line("  h2.eth0 ")));
        assertTrue(lines.indexOf(line("  h2.eth0 ")) < lines.indexOf(line("  h10.eth0 ")), "natural order");
        assertFalse(text.contains("h2.eth0.rx0") || text.contains("h1.cpu0") || text.contains("link."));
    }

    @Test
    void dropReasonsAreSummedOverPlacesLargestFirst() {
        int title = lines.indexOf("top drop reasons");
        assertEquals(List.of("QDISC_DROP", "43", "r1.eth1", "qdisc", "(40),", "r2.eth0", "qdisc", "(3)"), cells(lines.get(title + 2)));
        assertEquals(List.of("FULL_RING", "8", "h2.eth0", "ring", "(8)"), cells(lines.get(title + 3)));
        assertEquals(List.of("NEIGH_FAILED", "1", "r1", "neighbour", "(1)"), cells(lines.get(title + 5)));
    }

    @Test
    void endsWithTheSummaryLine() {
        assertEquals("events 1,234,567 (2.1M/s)  wall 3.3 s  digest 3fa2b1c9d0e1  complete yes", lines.get(lines.size() - 1));
        Map<String, Object> aborted = new LinkedHashMap<>();
        aborted.put("events", 10);
        aborted.put("complete", false);
        aborted.put("reason", "interrupted");
        assertEquals("events 10  complete no (interrupted)", SummaryTable.summaryLine(aborted));
    }

    @Test
    void columnsAlignAndOnlyTerminalsGetEscapes() {
        int flows = lines.indexOf("flows");
        String header = lines.get(flows + 1);
        int lostEnd = header.indexOf("lost") + "lost".length();
        // "lost" is a number column: right-aligned under its header.
        assertEquals('0', line("h3->h4:80").charAt(lostEnd - 1));
        assertEquals('6', line("h1->h2:9000").charAt(lostEnd - 1));
        assertFalse(text.contains("\u001b"));
        assertTrue(SummaryTable.render(SampleReports.dumbbell(), true).contains("\u001b[1mflows"));
    }

    private String line(String start) {
        return lines.stream().filter(l -> l.startsWith(start) || l.startsWith("  " + start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + start + " in\n" + text));
    }

    private static List<String> cells(String line) {
        return Arrays.asList(line.trim().split("\\s+"));
    }
}
