package knetsim.topology.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a HOCON topology file into a validated {@link Topology}, or throws a {@link TopologyException} with every
 * problem found: parse, --set overrides, substitutions, generator expansion, then reading and cross-checks.
 */
public final class TopologyLoader {
    private static final Map<String, Topology.Routing> ROUTING = Map.of("manual", Topology.Routing.MANUAL, "auto",
            Topology.Routing.AUTO);
    /** syscalls.csv logs the script processes, or every process (what other apps call, for a small run). */
    private static final Map<String, Boolean> SYSCALLS = Map.of("scripts", Boolean.FALSE, "all", Boolean.TRUE);
    /** Lists a generator fills that the user may extend: the user's entries come after the generated ones. */
    private static final List<String> APPENDED = List.of("links", "traffic", "capture");
    private static final Pattern INDEXED = Pattern.compile("\\s*([A-Za-z][\\w-]*)\\[(\\d+)]\\.([^=]+?)\\s*=(.*)",
            Pattern.DOTALL);

    private TopologyLoader() {
    }

    /**
     * @param setOverrides "key=value" with a HOCON value, layered over the file in order (--set, --seed, --duration)
     * @param members the number of cluster members (>= 1), used only to check placement
     */
    public static Topology load(Path file, List<String> setOverrides, int members) throws TopologyException {
        return load(file, setOverrides, members, true);
    }

    /**
     * As {@link #load(Path, List, int)}; with {@code forRun} false (validate) the topology has no
     * {@link Topology#resolvedJson()} (null), which only a run needs and which is a fifth of the time of a large one.
     */
    public static Topology load(Path file, List<String> setOverrides, int members, boolean forRun)
            throws TopologyException {
        try {
            return loadChecked(file, setOverrides, members, forRun);
        } catch (StackOverflowError e) {
            // HoconScan refuses deep nesting; this is for what it cannot see (a long chain of substitutions)
            throw new TopologyException(List.of(new ConfigProblem(file.toString(), 0, "", "too deeply nested "
                    + "(objects, lists or substitutions) to read")));
        }
    }

    private static Topology loadChecked(Path file, List<String> setOverrides, int members, boolean forRun)
            throws TopologyException {
        Problems problems = new Problems(file.toString());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            problems.add(new ConfigProblem(file.toString(), 0, "(file)", "cannot read the file: " + e));
            throw new TopologyException(problems.list());
        }
        if (!HoconScan.check(file, problems)) throw new TopologyException(problems.list());
        Config config = null;
        try {
            config = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            problems.add(e.origin(), "(syntax)", stripOrigin(e));
        }
        for (int i = 0; i < setOverrides.size(); i++) {
            Matcher indexed = INDEXED.matcher(setOverrides.get(i));
            if (indexed.matches() && config != null) {
                config = setInList(config, indexed, i + 1, problems);
                continue;
            }
            Config override = parseOverride(setOverrides.get(i), i + 1, problems);
            if (override != null && config != null) config = override.withFallback(config);
        }
        if (config != null && !problems.any()) {
            try {
                config = config.resolve();
            } catch (ConfigException e) {
                problems.add(e.origin(), "(substitution)", stripOrigin(e));
            }
        }
        if (problems.any()) throw new TopologyException(problems.list());
        Expanded expanded = expand(config, problems, !forRun);
        return build(expanded.root(), expanded.network(), problems, Math.max(1, members), Map.of(), sha256(bytes),
                null, forRun);
    }

    /** Rebuilds, on a member JVM, the topology whose {@link Topology#resolvedJson()} this is. */
    public static Topology fromResolved(String json) throws TopologyException {
        Problems problems = new Problems(Problems.RESOLVED);
        Config wrapper;
        try {
            wrapper = ConfigFactory.parseString(json,
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON).setOriginDescription(Problems.RESOLVED));
        } catch (ConfigException e) {
            problems.add(e.origin(), "(syntax)", stripOrigin(e));
            throw new TopologyException(problems.list());
        }
        Map<String, List<String>> order = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : wrapper.getObject("interface-order").entrySet()) {
            List<String> names = new ArrayList<>();
            for (ConfigValue v : (ConfigList) e.getValue()) names.add((String) v.unwrapped());
            order.put(e.getKey(), names);
        }
        return build(wrapper.getObject("config"), null, problems, 0, order, wrapper.getString("sha256"), json, true);
    }

    /** Sets a key inside one element of a top-level list, as in links[2].delay=5ms (HOCON paths cannot index). */
    private static Config setInList(Config config, Matcher m, int position, Problems problems) {
        String key = m.group(1) + "[" + m.group(2) + "]." + m.group(3);
        ConfigValue list = config.root().get(m.group(1));
        int index = Integer.parseInt(m.group(2));
        if (list == null || list.valueType() != ConfigValueType.LIST || index >= ((ConfigList) list).size()
                || ((ConfigList) list).get(index).valueType() != ConfigValueType.OBJECT) {
            problems.add(new ConfigProblem("--set", position, key, "the file has no object " + m.group(1) + "["
                    + index + "] to set a key in"));
            return config;
        }
        Config value = parseOverride("v=" + m.group(4), position, problems);
        if (value == null) return config;
        List<ConfigValue> elements = new ArrayList<>((ConfigList) list);
        ConfigObject element = (ConfigObject) elements.get(index);
        try {
            elements.set(index, element.toConfig().withValue(m.group(3), value.getValue("v")).root());
        } catch (ConfigException e) {
            problems.add(new ConfigProblem("--set", position, key, stripOrigin(e)));
            return config;
        }
        return config.withValue(m.group(1), ConfigValueFactory.fromIterable(elements, "--set#" + position));
    }

    private static Config parseOverride(String text, int position, Problems problems) {
        int eq = text.indexOf('=');
        String key = eq > 0 ? text.substring(0, eq).trim() : text;
        if (eq <= 0 || key.isEmpty()) {
            problems.add(new ConfigProblem("--set", position, text, "expected key=value like duration=2s, got \""
                    + text + "\""));
            return null;
        }
        HoconScan.Result scan = HoconScan.scan(text.substring(eq + 1), 0);
        if (scan.tooDeepAt() > 0) {
            problems.add(new ConfigProblem("--set", position, key, "objects and lists nested more than "
                    + HoconScan.MAX_DEPTH + " deep"));
            return null;
        }
        if (!scan.roundedAt().isEmpty()) {
            problems.add(new ConfigProblem("--set", position, key, HoconScan.roundedMessage(scan.roundedAt().get(0).text())));
            return null;
        }
        try {
            return ConfigFactory.parseString(key + "=" + text.substring(eq + 1),
                    ConfigParseOptions.defaults().setOriginDescription("--set#" + position));
        } catch (ConfigException e) {
            problems.add(new ConfigProblem("--set", position, key, "expected key=value with a HOCON value, got \""
                    + text + "\": " + stripOrigin(e)));
            return null;
        }
    }

    /** The config to read, and the generated nodes and links when they are to become specs without HOCON. */
    private record Expanded(ConfigObject root, GeneratedNetwork network) {
    }

    /** Keys whose presence beside {@code generate} means the user adds to or changes generated nodes and links. */
    private static final List<String> NETWORK_KEYS = List.of("hosts", "routers", "switches", "links");

    /**
     * Replaces {@code generate} with what it generates, under the user's own keys. With {@code specs} (validate)
     * and no nodes or links of the user's own, the nodes and links stay a {@link GeneratedNetwork} that the readers
     * turn into specs directly; everything else is merged as HOCON.
     */
    private static Expanded expand(Config config, Problems problems, boolean specs) {
        ConfigValue gen = config.root().get("generate");
        if (gen == null) return new Expanded(config.root(), null);
        problems.generatedAt(gen.origin());
        Config user = config.withoutPath("generate");
        Section section = Section.of(gen, "generate", problems, "an object generate { kind = dumbbell, ... }");
        GeneratedNetwork network = section == null ? null : Generators.expand(section);
        if (network == null) return new Expanded(user.root(), null);
        boolean direct = specs && NETWORK_KEYS.stream().noneMatch(k -> user.root().containsKey(k));
        ConfigObject generated = direct ? network.toSettings() : network.toConfig();
        Config merged = user.withFallback(generated);
        for (String key : APPENDED) {
            ConfigValue mine = user.root().get(key);
            ConfigValue theirs = generated.get(key);
            if (mine != null && theirs != null && mine.valueType() == ConfigValueType.LIST
                    && theirs.valueType() == ConfigValueType.LIST) {
                List<ConfigValue> both = new ArrayList<>((ConfigList) theirs);
                both.addAll((ConfigList) mine);
                merged = merged.withValue(key, ConfigValueFactory.fromIterable(both, Problems.GENERATED));
            }
        }
        return new Expanded(merged.root(), direct ? network : null);
    }

    private static Topology build(ConfigObject root, GeneratedNetwork network, Problems problems, int members,
                                  Map<String, List<String>> order, String sha256, String json, boolean forRun)
            throws TopologyException {
        problems.root(root);
        Section r = new Section(root, "", problems);
        r.checkKeys(Schema.ROOT);
        Long seed = r.integer("seed", 1L, Long.MIN_VALUE, Long.MAX_VALUE);
        Long duration = r.positiveDuration("duration", null);
        Topology.Routing routing = r.choice("routing", Topology.Routing.MANUAL, ROUTING, "routing");
        NodeReader nodeReader = new NodeReader(problems, order);
        nodeReader.read(r, "hosts", false);
        nodeReader.read(r, "routers", true);
        if (network != null) nodeReader.addGenerated(network);
        nodeReader.assignMacs();
        LinkReader linkReader = new LinkReader(problems, nodeReader);
        linkReader.readSwitches(r);
        linkReader.readLinks(r);
        if (network != null) linkReader.addGenerated(network);
        Validator validator = new Validator(problems, nodeReader.nodes, nodeReader.paths);
        validator.duplicateAddresses();
        if (!problems.any()) validator.unlinked(linkReader.links); // a bad link would echo here
        validator.qdiscs(linkReader.links);
        Map<String, NodeSpec> nodes = nodeReader.nodes;
        if (routing == Topology.Routing.AUTO) nodes = new AutoRouting(nodes, linkReader.links).apply();
        boolean traceAll = r.choice("syscalls", Boolean.FALSE, SYSCALLS, "syscall log") == Boolean.TRUE;
        TrafficReader traffic = new TrafficReader(problems, nodes, duration == null ? Long.MAX_VALUE : duration);
        traffic.links = linkReader.links;
        traffic.read(r);
        List<String> captures = validator.captures(r);
        int snaplen = validator.captureSnaplen(r);
        RecordSpec record = validator.record(r, duration);
        Set<String> all = new HashSet<>(nodes.keySet());
        all.addAll(linkReader.switches.keySet());
        Map<String, Integer> placement = validator.placement(r, all, members);
        // Walking routes over a topology that already has problems would mostly report their echoes.
        List<ConfigProblem> unowned = new java.util.ArrayList<>();
        if (!problems.any()) {
            unowned = new Validator(problems, nodes, nodeReader.paths).reachability(traffic.traffic, traffic.paths,
                    new Segments(nodes, linkReader.links));
        }
        if (problems.any()) throw new TopologyException(problems.list());
        if (json == null && forRun) json = resolvedJson(root, nodes, sha256);
        Topology t = new Topology(seed, duration, routing, nodes, linkReader.switches, linkReader.links,
                traffic.traffic, captures, record, placement, sha256, json, List.of(), traceAll,
                snaplen);
        List<ConfigProblem> warnings = new java.util.ArrayList<>(unowned);
        warnings.addAll(Projection.warnings(t, traffic.paths, problems));
        return warnings.isEmpty() ? t : new Topology(seed, duration, routing, nodes, linkReader.switches,
                linkReader.links, traffic.traffic, captures, record, placement, sha256, json, warnings, traceAll,
                snaplen);
    }

    /** The expanded config with what JSON cannot say (interface order) and the file's hash, as concise JSON. */
    private static String resolvedJson(ConfigObject root, Map<String, NodeSpec> nodes, String sha256) {
        Map<String, Object> order = new TreeMap<>();
        for (NodeSpec n : nodes.values()) order.put(n.name(), n.interfaces().stream().map(InterfaceSpec::name).toList());
        Map<String, Object> wrapper = new TreeMap<>();
        wrapper.put("config", root);
        wrapper.put("interface-order", order);
        wrapper.put("sha256", sha256);
        return ConfigValueFactory.fromMap(wrapper, Problems.RESOLVED).render(ConfigRenderOptions.concise());
    }

    private static String stripOrigin(ConfigException e) {
        String m = e.getMessage();
        if (e.origin() != null && m.startsWith(e.origin().description() + ": ")) {
            m = m.substring(e.origin().description().length() + 2);
        }
        return m.replaceAll("\\bjava\\.[\\w.]+(Exception|Error): ", ""); // the user needs the message, not the class
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
