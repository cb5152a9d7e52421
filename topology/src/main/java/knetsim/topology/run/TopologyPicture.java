package knetsim.topology.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import knetsim.topology.config.LinkSpec;
import knetsim.topology.config.Topology;
import knetsim.topology.config.Units;
import knetsim.topology.results.DropRow;

/**
 * topology.svg: hosts, routers and switches, each link labelled with its rate and delay, the
 * places that dropped packets in red. Drawn by Graphviz {@code dot} when it is installed (and the
 * topology is small enough to lay out quickly), otherwise by a plain circle layout.
 */
public final class TopologyPicture {
    /** Beyond this many nodes dot's layout takes seconds: the plain layout is used. */
    static final int DOT_LIMIT = 300;

    private TopologyPicture() {}

    public static byte[] svg(Topology topology, List<DropRow> drops) {
        Map<String, Long> dropped = droppedAt(drops);
        int nodes = topology.nodes().size() + topology.switches().size();
        if (nodes <= DOT_LIMIT) {
            byte[] drawn = dot(dotSource(topology, dropped));
            if (drawn != null) return drawn;
        }
        return plain(topology, dropped);
    }

    // node name -> packets dropped there (a link's drops count for its sending end's node)
    private static Map<String, Long> droppedAt(List<DropRow> drops) {
        Map<String, Long> at = new TreeMap<>();
        for (DropRow d : drops) {
            String place = d.place().startsWith("link ") ? d.place().substring(5) : d.place();
            int cut = place.length();
            for (char c : new char[] {'.', ' ', '-'}) {
                int i = place.indexOf(c);
                if (i > 0) cut = Math.min(cut, i);
            }
            at.merge((d.place().startsWith("link ") ? "link:" : "") + place.substring(0, cut), d.count(), Long::sum);
        }
        return at;
    }

    static String dotSource(Topology t, Map<String, Long> dropped) {
        StringBuilder g = new StringBuilder("graph topology {\n  graph [rankdir=LR, fontname=\"sans-serif\"];\n")
                .append("  node [fontname=\"sans-serif\", fontsize=10]; edge [fontname=\"sans-serif\", fontsize=8];\n");
        t.nodes().forEach((name, n) -> g.append("  ").append(q(name)).append(" [shape=").append(n.router() ? "ellipse" : "box")
                .append(style(dropped.get(name))).append("];\n"));
        t.switches().keySet().forEach(name -> g.append("  ").append(q(name)).append(" [shape=diamond")
                .append(style(dropped.get(name))).append("];\n"));
        for (LinkSpec l : t.links()) {
            Long lost = dropped.get("link:" + l.a().node());
            Long back = dropped.get("link:" + l.b().node());
            long d = (lost == null ? 0 : lost) + (back == null ? 0 : back);
            g.append("  ").append(q(l.a().node())).append(" -- ").append(q(l.b().node())).append(" [label=")
                    .append(q(label(l) + (d > 0 && hasLoss(l) ? "\nlost " + d : "")))
                    .append(d > 0 && hasLoss(l) ? ", color=red, fontcolor=red" : "").append("];\n");
        }
        return g.append("}\n").toString();
    }

    private static boolean hasLoss(LinkSpec l) {
        return l.loss().model() != LinkSpec.LossSpec.Model.NONE || l.corruption() > 0;
    }

    private static String label(LinkSpec l) {
        return Units.formatRate(l.rateBps()) + " " + Units.formatDuration(l.delayNs());
    }

    private static String style(Long dropped) {
        return dropped == null || dropped == 0 ? "" : ", color=red, fontcolor=red, xlabel=\"drops " + dropped + "\"";
    }

    private static String q(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    // dot -Tsvg, or null when it is missing, fails or takes too long
    static byte[] dot(String source) {
        try {
            Process p = new ProcessBuilder("dot", "-Tsvg").redirectErrorStream(false).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(source.getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream svg = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try (InputStream out = p.getInputStream()) {
                    out.transferTo(svg);
                } catch (IOException ignored) {
                    // the process failed: no picture from dot
                }
            }, "knetsim-dot");
            reader.start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            reader.join(5_000);
            return p.exitValue() == 0 && svg.size() > 0 ? svg.toByteArray() : null;
        } catch (IOException e) {
            return null; // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    // every node on a circle, links as straight lines: readable for tens of nodes, an overview for thousands
    static byte[] plain(Topology t, Map<String, Long> dropped) {
        List<String> names = new ArrayList<>(t.nodes().keySet());
        names.addAll(t.switches().keySet());
        int n = Math.max(1, names.size());
        double size = Math.min(4000, 300 + 12 * n), r = size / 2 - 60;
        Map<String, double[]> at = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            double a = 2 * Math.PI * i / n;
            at.put(names.get(i), new double[] {size / 2 + r * Math.cos(a), size / 2 + r * Math.sin(a)});
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                        + "font-family=\"sans-serif\" font-size=\"10\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
                size, size, size, size));
        for (LinkSpec l : t.links()) {
            double[] a = at.get(l.a().node()), b = at.get(l.b().node());
            if (a == null || b == null) continue;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"><title>%s</title></line>\n",
                    a[0], a[1], b[0], b[1], esc(l.a() + " - " + l.b() + " " + label(l))));
        }
        boolean labels = n <= 200;
        for (String name : names) {
            double[] p = at.get(name);
            Long d = dropped.get(name);
            String color = d != null && d > 0 ? "#d62728" : t.switches().containsKey(name) ? "#2ca02c" : "#1f77b4";
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"><title>%s</title></circle>\n",
                    p[0], p[1], color, esc(name + (d != null ? " drops " + d : ""))));
            if (labels) s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", p[0] + 7, p[1] - 7, esc(name)));
        }
        return s.append("</svg>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
