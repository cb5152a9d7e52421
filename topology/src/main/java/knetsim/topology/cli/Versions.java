package knetsim.topology.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine;

/** Versions of knetsim and of what it runs on, for --version and for every summary.json. */
public final class Versions implements CommandLine.IVersionProvider {
    public static Map<String, String> all() {
        Map<String, String> versions = new TreeMap<>();
        Properties built = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/knetsim/version.properties")) {
            if (in != null) built.load(in);
        } catch (IOException e) {
            // versions are informative; a missing file must not stop a run
        }
        try (InputStream in = Versions.class.getResourceAsStream("/knetsim/git.properties")) {
            Properties git = new Properties();
            if (in != null) git.load(in);
            versions.put("commit", git.getProperty("commit", "unknown"));
        } catch (IOException e) {
            versions.put("commit", "unknown");
        }
        built.forEach((k, v) -> versions.put(k.toString(), v.toString()));
        versions.put("java", System.getProperty("java.version"));
        versions.put("javaVm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        return versions;
    }

    @Override
    public String[] getVersion() {
        Map<String, String> v = all();
        return new String[] {"knetsim " + v.getOrDefault("knetsim", "?") + " (commit " + v.get("commit") + ", Akka " + v.getOrDefault("akka", "?")
                + ", Kryo " + v.getOrDefault("kryo", "?") + ", Java " + v.get("java") + ")"};
    }
}
