package knetsim.topology.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * report.html: one self-contained page (inline style, no external resources) that shows the
 * summary, flows, interfaces, drops, plots and captures of a run. Its only script counts the plots
 * that loaded, which lets a headless browser check the page without a framework.
 */
final class ReportPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em; color: #222; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
            th { background: #f2f2f2; } td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            figure { display: inline-block; margin: 0.5em; } figcaption { font-size: 0.85em; color: #555; }
            img { max-width: 100%; height: auto; border: 1px solid #ddd; }
            body { max-width: 1240px; } table { max-width: 100%; display: block; overflow-x: auto; }
            td { overflow-wrap: anywhere; } .empty, .more { color: #777; font-style: italic; }
            #headline { display: flex; flex-wrap: wrap; gap: 0.8em; margin: 1em 0; }
            #headline div { border: 1px solid #ccc; border-radius: 6px; padding: 0.6em 1em; background: #fafafa; min-width: 12em; }
            #headline b { display: block; font-size: 1.35em; } #headline span { color: #555; font-size: 0.85em; }
            tr.total td { font-weight: bold; background: #f7f7f7; } details { margin-top: 1.6em; }
            #topology img { max-height: 700px; }
            """;
    private static final String SCRIPT = """
            window.addEventListener('load', function () {
              var images = document.images, loaded = 0;
              for (var i = 0; i < images.length; i++) {
                if (images[i].complete && images[i].naturalWidth > 0) { loaded++; }
              }
              document.body.dataset.imagesLoaded = loaded;
              document.body.dataset.imagesTotal = images.length;
              document.body.dataset.pageWidth = document.documentElement.scrollWidth;
            });
            """;

    private final StringBuilder html = new StringBuilder();

    private ReportPage() {}

    static byte[] render(RunReport report, List<Plots.Plot> plots) {
        return render(report, plots, 25, null);
    }

    /** {@code top}: rows per table; {@code topology}: the topology picture's path in the folder, or null. */
    static byte[] render(RunReport report, List<Plots.Plot> plots, int top, String topology) {
        ReportPage page = new ReportPage();
        page.page(report, plots, Math.max(1, top), topology);
        return page.html.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void page(RunReport report, List<Plots.Plot> plots, int top, String topology) {
        int images = plots.size() + (topology == null ? 0 : 1);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>knetsim run report</title>\n<style>\n").append(STYLE).append("</style>\n")
                .append("<script>\n").append(SCRIPT).append("</script>\n</head>\n")
                .append("<body data-images-total=\"").append(images).append("\">\n")
                .append("<h1>knetsim run report</h1>\n");
        Headline.append(html, report);
        flows(report.flows(), top);
        tcpFlows(report.flows());
        scripts(report.summary().get("scripts"));
        fct(report.fct());
        drops(report.drops());
        interfaces(InterfaceStats.of(report), top);
        plots(plots);
        if (topology != null) {
            html.append("<h2>Topology</h2>\n<figure id=\"topology\"><img src=\"").append(esc(href(topology)))
                    .append("\" alt=\"the topology: nodes, links with rate and delay, drops in red\"></figure>\n");
        }
        captures(report.pcapFiles());
        html.append("<details id=\"engine\"><summary>Run and engine details (summary.json)</summary>\n");
        summary(report.summary());
        html.append("</details>\n</body>\n</html>\n");
    }

    // the script apps: how far each got, and every step whose result was not the expected one
    @SuppressWarnings("unchecked")
    private void scripts(Object scripts) {
        if (!(scripts instanceof List<?> list) || list.isEmpty()) return;
        html.append("<h2>Scripts</h2>\n<table id=\"scripts\">\n");
        header("process", "steps", "completed", "finished", "strict", "at", "step", "expected", "got");
        for (Object o : list) {
            Map<String, Object> m = (Map<String, Object>) o;
            List<Map<String, Object>> mismatches = (List<Map<String, Object>>) m.get("mismatches");
            html.append(Boolean.TRUE.equals(m.get("failed")) ? "<tr class=\"failed\">" : "<tr>");
            cell(String.valueOf(m.get("process"))).num(String.valueOf(m.get("steps"))).num(String.valueOf(m.get("completed")));
            cell(Boolean.TRUE.equals(m.get("finished")) ? "yes" : "no").cell(Boolean.TRUE.equals(m.get("strict")) ? "yes" : "no");
            if (mismatches.isEmpty()) html.append("<td colspan=\"4\">every result as expected</td></tr>\n");
            for (int i = 0; i < mismatches.size(); i++) {
                Map<String, Object> x = mismatches.get(i);
                if (i > 0) html.append("<tr><td colspan=\"5\"></td>");
                cell(String.valueOf(x.get("at"))).cell(x.get("step") + ": " + x.get("text"));
                cell(String.valueOf(x.get("expected"))).cell(String.valueOf(x.get("got")));
                html.append("</tr>\n");
            }
        }
        html.append("</table>\n<p class=\"empty\">Every call and its result are in syscalls.csv.</p>\n");
    }

    private void summary(Map<String, Object> summary) {
        html.append("<h2>Summary</h2>\n<table id=\"summary\">\n");
        summary.forEach((k, v) -> html.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(value(v)))
                .append("</td></tr>\n"));
        html.append("</table>\n");
    }

    private void flows(List<FlowRow> flows, int top) {
        html.append("<h2>Flows</h2>\n");
        if (flows.isEmpty()) {
            html.append("<p class=\"empty\">No flows.</p>\n");
        }
        html.append("<table id=\"flows\">\n");
        header("flow", "protocol", "packets sent", "received", "lost", "in flight", "bytes received",
                "goodput (Mbit/s)", "loss", "delay", "p50 (ms)", "p90 (ms)", "p99 (ms)", "max (ms)", "jitter (ms)");
        Top<FlowRow> shown = Top.of(flows, ResultsWriter.FLOW_ORDER, Top.FLOW_RANK, top);
        for (FlowRow f : shown.shown()) {
            html.append("<tr>");
            cell(f.flow()).cell(f.protocol());
            boolean unknown = f.packetsSent() < 0; // a TCP connection cut short: no final segment counts
            num(unknown ? "-" : Format.grouped(f.packetsSent())).num(unknown ? "-" : Format.grouped(f.packetsReceived()));
            num(Format.grouped(f.packetsLost())).num(unknown ? "-" : Format.grouped(f.inFlightAtEnd()))
                    .num(Format.grouped(f.bytesReceived()));
            num(Format.mbps(f.goodputBps())).num(Format.percent(f.lossRatio())).cell(f.delayKind());
            num(Format.millis(f.delayP50Ns())).num(Format.millis(f.delayP90Ns())).num(Format.millis(f.delayP99Ns()));
            num(Format.millis(f.delayMaxNs())).num(Format.millis(f.jitterNs()));
            html.append("</tr>\n");
        }
        if (flows.size() > 1) {
            long sent = 0, received = 0, lost = 0, inFlight = 0, bytes = 0;
            for (FlowRow f : flows) {
                sent += f.packetsSent();
                received += f.packetsReceived();
                lost += f.packetsLost();
                inFlight += f.inFlightAtEnd();
                bytes += f.bytesReceived();
            }
            html.append("<tr class=\"total\">");
            cell("all " + flows.size() + " flows").cell("");
            num(Format.grouped(sent)).num(Format.grouped(received)).num(Format.grouped(lost)).num(Format.grouped(inFlight));
            num(Format.grouped(bytes)).cell("").num(sent == 0 ? "-" : Format.percent((double) lost / sent));
            html.append("<td colspan=\"6\"></td></tr>\n");
        }
        html.append("</table>\n");
        more(shown.leftOut(), "flows", "the most lost, then the most bytes", "flows.csv");
    }

    private void more(int leftOut, String what, String rank, String file) {
        if (leftOut > 0) {
            html.append("<p class=\"more\">").append(Format.grouped(leftOut)).append(" more ").append(what)
                    .append(" not shown (these are the ones with ").append(rank).append("); ").append(file)
                    .append(" has them all.</p>\n");
        }
    }

    // tcp-flows: FCT and slowdown percentiles by flow size (fct.csv has every connection)
    private void fct(List<FctRow> rows) {
        if (rows.isEmpty()) return;
        html.append("<h2>Flow completion times</h2>\n<table id=\"fct\">\n<tr><th>size</th><th>flows</th><th>finished</th>"
                + "<th>FCT p50 (ms)</th><th>FCT p99 (ms)</th><th>slowdown p50</th><th>slowdown p99</th></tr>\n");
        for (FctBuckets.Bucket b : FctBuckets.of(rows)) {
            html.append("<tr>");
            cell(b.label()).num(Format.grouped(b.flows())).num(Format.grouped(b.finished()));
            num(Format.millis(b.fctP50Ns())).num(Format.millis(b.fctP99Ns()));
            num(Format.ratio(b.slowdownP50())).num(Format.ratio(b.slowdownP99()));
            html.append("</tr>\n");
        }
        html.append("</table>\n<p>Slowdown: FCT over the flow's ideal FCT alone on the path (docs/results.md, fct.csv)."
                + " fct.csv has every flow.</p>\n");
    }

    private void tcpFlows(List<FlowRow> flows) {
        if (flows.stream().noneMatch(f -> f.tcp() != null)) return;
        html.append("<h2>TCP flows</h2>\n<table id=\"tcp-flows\">\n");
        header("flow", "cc", "goodput (Mbit/s)", "retransmitted segments", "rtt p50 (ms)", "rtt p99 (ms)", "cwnd min",
                "cwnd mean", "cwnd max", "time to first byte (ms)", "completion (ms)", "finished");
        flows.stream().filter(f -> f.tcp() != null).sorted(ResultsWriter.FLOW_ORDER).forEach(f -> {
            html.append("<tr>");
            cell(f.flow()).cell(f.tcp().cc()).num(Format.mbps(f.goodputBps())).num(Format.grouped(f.tcp().retransSegs()));
            num(Format.millis(f.delayP50Ns())).num(Format.millis(f.delayP99Ns()));
            num(String.format(java.util.Locale.ROOT, "%.0f", f.tcp().cwndMin()))
                    .num(String.format(java.util.Locale.ROOT, "%.1f", f.tcp().cwndMean()))
                    .num(String.format(java.util.Locale.ROOT, "%.0f", f.tcp().cwndMax()));
            num(Format.millis(f.tcp().ttfbNs())).num(Format.millis(f.tcp().completionNs()))
                    .cell(f.tcp().finished() ? "yes" : "no");
            html.append("</tr>\n");
        });
        html.append("</table>\n");
    }

    private void interfaces(List<InterfaceStats> interfaces, int top) {
        html.append("<h2>Interfaces</h2>\n<table id=\"interfaces\">\n");
        String[] columns = new String[InterfaceStats.COLUMNS.size() + 1];
        columns[0] = "interface";
        for (int i = 0; i < InterfaceStats.COLUMNS.size(); i++) {
            columns[i + 1] = InterfaceStats.COLUMNS.get(i);
        }
        header(columns);
        Top<InterfaceStats> shown = Top.of(interfaces, Comparator.comparing(InterfaceStats::scope, Csv.NATURAL),
                Top.INTERFACE_RANK, top);
        for (InterfaceStats s : shown.shown()) {
            html.append("<tr>");
            cell(s.scope());
            for (String c : InterfaceStats.COLUMNS) {
                Long v = s.get(c);
                num(v == null ? "-" : Format.grouped(v));
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        more(shown.leftOut(), "interfaces", "the most drops, then the most packets", "counters.csv");
    }

    private void drops(List<DropRow> drops) {
        html.append("<h2>Drops</h2>\n");
        if (drops.isEmpty()) {
            html.append("<p class=\"empty\">No packet was dropped.</p>\n");
        }
        html.append("<table id=\"drops\">\n");
        header("where", "reason", "count");
        // Largest first: the page is read for where packets went; drops.csv keeps the stable order.
        drops.stream().sorted(Comparator.comparingLong(DropRow::count).reversed().thenComparing(ResultsWriter.DROP_ORDER))
                .forEach(d -> {
                    html.append("<tr>");
                    cell(d.place()).cell(d.reason()).num(Format.grouped(d.count()));
                    html.append("</tr>\n");
                });
        html.append("</table>\n");
    }

    private void plots(List<Plots.Plot> plots) {
        html.append("<h2>Plots</h2>\n");
        if (plots.isEmpty()) {
            html.append("<p class=\"empty\">No series were recorded.</p>\n");
        }
        for (Plots.Plot p : plots) {
            html.append("<figure><img src=\"").append(esc(href(p.file()))).append("\" alt=\"").append(esc(p.title()))
                    .append("\" width=\"").append(Plots.WIDTH).append("\" height=\"").append(Plots.HEIGHT)
                    .append("\"><figcaption>").append(esc(p.series())).append("</figcaption></figure>\n");
        }
    }

    private void captures(List<String> pcapFiles) {
        html.append("<h2>Captures</h2>\n");
        if (pcapFiles.isEmpty()) {
            html.append("<p class=\"empty\">No interface was captured.</p>\n");
            return;
        }
        html.append("<ul id=\"captures\">\n");
        pcapFiles.stream().sorted(Csv.NATURAL).forEach(f -> html.append("<li><a href=\"").append(esc(href(f)))
                .append("\">").append(esc(f)).append("</a></li>\n"));
        html.append("</ul>\n");
    }

    private void header(String... names) {
        html.append("<tr>");
        for (String n : names) {
            html.append("<th>").append(esc(n)).append("</th>");
        }
        html.append("</tr>\n");
    }

    private ReportPage cell(String text) {
        html.append("<td>").append(esc(text)).append("</td>");
        return this;
    }

    private ReportPage num(String text) {
        html.append("<td class=\"n\">").append(esc(text)).append("</td>");
        return this;
    }

    private static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double || v instanceof Float) {
            return Csv.number(((Number) v).doubleValue());
        }
        if (v instanceof Map || v instanceof Iterable || v.getClass().isArray()) {
            try {
                return JSON.writeValueAsString(v);
            } catch (JsonProcessingException e) {
                return String.valueOf(v);
            }
        }
        return String.valueOf(v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A relative URL for a results path: anything beyond [A-Za-z0-9._~/-] is percent-encoded. */
    static String href(String path) {
        StringBuilder b = new StringBuilder();
        for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '~' || c == '/' || c == '-';
            b.append(safe ? String.valueOf((char) c) : String.format(java.util.Locale.ROOT, "%%%02X", c));
        }
        return b.toString();
    }
}
