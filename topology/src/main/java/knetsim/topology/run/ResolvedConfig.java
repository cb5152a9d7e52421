package knetsim.topology.run;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import knetsim.topology.config.InterfaceSpec;
import knetsim.topology.config.NodeSpec;
import knetsim.topology.config.Topology;

/**
 * The topology as it ran, as a HOCON file (config.resolved.conf): after includes, --set,
 * substitutions and generate, one key per line. A node's interfaces keep their order (the loader
 * numbers them by line), so running this file again builds the same network and gives the same digest.
 */
public final class ResolvedConfig {
    private static final ConfigRenderOptions LEAF = ConfigRenderOptions.concise().setJson(true);

    private ResolvedConfig() {}

    public static String render(Topology topology) {
        ConfigObject root = ConfigFactory.parseString(topology.resolvedJson(),
                ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)).getObject("config");
        StringBuilder out = new StringBuilder();
        out.append("# The topology as run: after includes, --set, substitutions and generate.\n");
        out.append("# Run it again with: knetsim run config.resolved.conf\n");
        object(out, root, "", "", topology);
        return out.toString();
    }

    private static void object(StringBuilder out, ConfigObject o, String path, String indent, Topology topology) {
        for (String key : keys(o, path, topology)) {
            ConfigValue v = o.get(key);
            String childPath = path.isEmpty() ? ConfigUtil.quoteString(key) : path + "." + ConfigUtil.quoteString(key);
            out.append(indent).append(ConfigUtil.quoteString(key));
            value(out, v, childPath, indent, topology);
            out.append('\n');
        }
    }

    private static void value(StringBuilder out, ConfigValue v, String path, String indent, Topology topology) {
        if (v.valueType() == ConfigValueType.OBJECT) {
            out.append(" {\n");
            object(out, (ConfigObject) v, path, indent + "  ", topology);
            out.append(indent).append('}');
        } else if (v.valueType() == ConfigValueType.LIST) {
            ConfigList list = (ConfigList) v;
            out.append(" = [");
            if (list.isEmpty()) {
                out.append(']');
                return;
            }
            out.append('\n');
            for (int i = 0; i < list.size(); i++) {
                out.append(indent).append("  ");
                ConfigValue item = list.get(i);
                if (item.valueType() == ConfigValueType.OBJECT) {
                    out.append("{\n");
                    object(out, (ConfigObject) item, path + "[" + i + "]", indent + "    ", topology);
                    out.append(indent).append("  }");
                } else {
                    out.append(item.render(LEAF));
                }
                out.append('\n');
            }
            out.append(indent).append(']');
        } else {
            out.append(" = ").append(v.render(LEAF));
        }
    }

    // keys in name order, except a node's interfaces: in ifindex order, which the loader reads from their lines
    private static List<String> keys(ConfigObject o, String path, Topology topology) {
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length; i++) parts[i] = unquote(parts[i]);
        if (parts.length == 3 && parts[2].equals("interfaces") && (parts[0].equals("hosts") || parts[0].equals("routers"))) {
            NodeSpec node = topology.node(parts[1]);
            if (node != null && node.interfaces().size() == o.size()) {
                List<String> names = new ArrayList<>();
                for (InterfaceSpec i : node.interfaces()) names.add(i.name());
                if (o.keySet().containsAll(names)) return names;
            }
        }
        Map<String, Boolean> sorted = new TreeMap<>();
        o.keySet().forEach(k -> sorted.put(k, true));
        return new ArrayList<>(sorted.keySet());
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
