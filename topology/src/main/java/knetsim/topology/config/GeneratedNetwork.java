package knetsim.topology.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a generator made, compactly: nodes with their interfaces (named eth0, eth1, ... in order), switches, links
 * by link template, and traffic entries. It becomes either HOCON ({@link #toConfig}: merged under what the user
 * wrote, then read like any file; a run needs it for the resolved config) or, when the user wrote no nodes or
 * links of their own, specs directly ({@link NodeReader#addGenerated}, {@link LinkReader#addGenerated}), which is
 * what keeps {@code validate} of a million generated hosts to seconds: about 60 µs and 5 KB a host go into building
 * and reading back Typesafe Config objects otherwise. GeneratedSpecsTest holds the two ways to the same specs.
 */
final class GeneratedNetwork {
    /** One interface: address and prefix, and the gateway it gives a default route to (0: none). */
    record Iface(int address, int prefix, int gateway) {
    }

    /** A host or router; its interfaces are eth0.. in list order. */
    record Node(String name, boolean router, List<Iface> interfaces) {
    }

    /** A link between "node.ethN" or switch names, with the attributes of {@code templates.get(template)}. */
    record Link(String a, String b, int template) {
    }

    final Map<String, Node> nodes = new LinkedHashMap<>();
    final List<String> switches = new ArrayList<>();
    final List<Link> links = new ArrayList<>();
    /** Link attributes (rate, delay, qdisc, ... as the user wrote them under the generator's key). */
    final List<Map<String, Object>> templates = new ArrayList<>();
    /** What every generated host (not router) has as {@code sysctl { ... }}, or null. */
    com.typesafe.config.ConfigValue hostSysctl;
    /** Traffic entries as HOCON-ready maps: they are read like written traffic either way. */
    final List<Object> traffic = new ArrayList<>();

    String node(String name, boolean router) {
        nodes.put(name, new Node(name, router, new ArrayList<>(2)));
        return name;
    }

    /** Adds the node's next interface eth{n} and returns "node.eth{n}". */
    String iface(String node, int address, int prefix, Integer gateway) {
        List<Iface> ifaces = nodes.get(node).interfaces();
        ifaces.add(new Iface(address, prefix, gateway == null ? 0 : gateway));
        return node + ".eth" + (ifaces.size() - 1);
    }

    int template(Map<String, Object> attributes) {
        templates.add(attributes);
        return templates.size() - 1;
    }

    void link(String a, String b, int template) {
        links.add(new Link(a, b, template));
    }

    /** Routing and traffic only: what the specs path still reads as HOCON. */
    ConfigObject toSettings() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("routing", "auto");
        if (!traffic.isEmpty()) root.put("traffic", traffic);
        return ConfigValueFactory.fromMap(root, Problems.GENERATED);
    }

    /** Everything as HOCON, as a user could have written it. */
    ConfigObject toConfig() {
        Map<String, Object> hosts = new LinkedHashMap<>();
        Map<String, Object> routers = new LinkedHashMap<>();
        for (Node n : nodes.values()) {
            Map<String, Object> ifaces = new LinkedHashMap<>();
            for (int k = 0; k < n.interfaces().size(); k++) {
                Iface f = n.interfaces().get(k);
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("ip", Ipv4s.text(f.address(), f.prefix()));
                if (f.gateway() != 0) i.put("gateway", Ipv4s.text(f.gateway()));
                ifaces.put("eth" + k, i);
            }
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("interfaces", ifaces);
            if (!n.router() && hostSysctl != null) node.put("sysctl", hostSysctl);
            (n.router() ? routers : hosts).put(n.name(), node);
        }
        Map<String, Object> switchMap = new LinkedHashMap<>();
        for (String s : switches) switchMap.put(s, new LinkedHashMap<>());
        List<Object> linkList = new ArrayList<>(links.size());
        for (Link l : links) {
            Map<String, Object> m = new LinkedHashMap<>(templates.get(l.template()));
            m.put("a", l.a());
            m.put("b", l.b());
            linkList.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("routing", "auto");
        if (!hosts.isEmpty()) root.put("hosts", hosts);
        if (!routers.isEmpty()) root.put("routers", routers);
        if (!switchMap.isEmpty()) root.put("switches", switchMap);
        root.put("links", linkList);
        if (!traffic.isEmpty()) root.put("traffic", traffic);
        return ConfigValueFactory.fromMap(root, Problems.GENERATED);
    }
}
