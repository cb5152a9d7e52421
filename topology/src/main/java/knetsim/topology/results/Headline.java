package knetsim.topology.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer first: the report's headline block. Flows delivered and lost, goodput, the spread of
 * the flows' delays (one-way and RTT apart), and where packets were dropped and why.
 */
final class Headline {
    private Headline() {}

    static void append(StringBuilder html, RunReport report) {
        html.append("<section id=\"headline\">\n");
        Object complete = report.summary().get("complete");
        if (Boolean.FALSE.equals(complete)) {
            box(html, "run incomplete", String.valueOf(report.summary().get("reason")), "the numbers below are partial");
        }
        List<FlowRow> flows = report.flows();
        long sent = 0, received = 0, lost = 0, inFlight = 0;
        double goodput = 0;
        for (FlowRow f : flows) {
            lost += f.packetsLost();
            if (f.packetsSent() >= 0) { // -1: a TCP connection cut short, no final segment counts
                sent += f.packetsSent();
                received += f.packetsReceived();
                inFlight += f.inFlightAtEnd();
            }
            if (!Double.isNaN(f.goodputBps())) goodput += f.goodputBps();
        }
        box(html, flows.size() + (flows.size() == 1 ? " flow" : " flows"),
                Format.grouped(received) + " of " + Format.grouped(sent) + " packets delivered",
                sent == 0 ? "nothing was sent" : Format.percent((double) received / sent) + " delivered");
        box(html, "lost", Format.grouped(lost) + " packets" + (sent == 0 ? "" : " (" + Format.percent((double) lost / sent) + ")"),
                Format.grouped(inFlight) + " still in flight at the end");
        box(html, "goodput", Format.si(goodput, "bit/s"), "summed over the flows");
        delays(html, flows, FlowRow.ONE_WAY, "one-way delay");
        delays(html, flows, FlowRow.RTT, "RTT");
        drops(html, report.drops());
        html.append("</section>\n");
    }

    private static void delays(StringBuilder html, List<FlowRow> flows, String kind, String name) {
        double[] p50 = flows.stream().filter(f -> f.delayKind().equals(kind)).mapToDouble(FlowRow::delayP50Ns)
                .filter(d -> !Double.isNaN(d)).sorted().toArray();
        double worstP99 = flows.stream().filter(f -> f.delayKind().equals(kind)).mapToDouble(FlowRow::delayP99Ns)
                .filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
        if (p50.length == 0) return;
        String detail = p50.length == 1 ? "p50, p99 " + Format.millis(worstP99) + " ms"
                : "median of the flows' p50 (" + p50.length + " flows); worst p99 " + Format.millis(worstP99) + " ms";
        box(html, name, Format.millis(p50[p50.length / 2]) + " ms", detail);
    }

    private static void drops(StringBuilder html, List<DropRow> drops) {
        if (drops.isEmpty()) {
            box(html, "drops", "none", "no packet was dropped anywhere");
            return;
        }
        long total = drops.stream().mapToLong(DropRow::count).sum();
        List<DropRow> sorted = new ArrayList<>(drops);
        sorted.sort(Comparator.comparingLong(DropRow::count).reversed().thenComparing(ResultsWriter.DROP_ORDER));
        StringBuilder where = new StringBuilder();
        for (DropRow d : sorted.subList(0, Math.min(3, sorted.size()))) {
            if (where.length() > 0) where.append("; ");
            where.append(d.place()).append(' ').append(d.reason()).append(' ').append(Format.grouped(d.count()));
        }
        Map<String, Long> byReason = new TreeMap<>();
        drops.forEach(d -> byReason.merge(d.reason(), d.count(), Long::sum));
        String reasons = String.join(", ", byReason.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .map(e -> e.getKey() + " " + Format.grouped(e.getValue())).toArray(String[]::new));
        box(html, "drops", Format.grouped(total) + " packets", "where: " + where + " (by reason: " + reasons + ")");
    }

    private static void box(StringBuilder html, String title, String value, String detail) {
        html.append("<div><span>").append(ReportPage.esc(title)).append("</span><b>").append(ReportPage.esc(value))
                .append("</b><span>").append(ReportPage.esc(detail)).append("</span></div>\n");
    }

}
