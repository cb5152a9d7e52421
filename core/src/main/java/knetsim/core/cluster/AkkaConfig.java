package knetsim.core.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Akka settings of the ActorSystems a run uses. One partition is one ActorSystem; with more than
 * one they form an Akka Cluster over Artery TCP bound to loopback, with ephemeral ports, by default
 * over TLS with the run's key ({@link #tls}).
 */
public final class AkkaConfig {
    /** Every member of one run must share the system name to form a cluster. */
    public static final String SYSTEM_NAME = "knetsim";
    /** The cluster role of the launcher's system; a member that joined on its own finds the coordinator by it. */
    public static final String COORDINATOR_ROLE = "knetsim-coordinator";

    private AkkaConfig() {}

    /**
     * The dispatcher sized to the cores with throughput 100: Akka's default of 8+ threads on a
     * small machine was several times slower and unstable between launches.
     */
    public static Config dispatcher(int threads, int throughput) {
        return ConfigFactory.parseString(
                "akka.actor.default-dispatcher { throughput = " + throughput + "\n"
                + " fork-join-executor { parallelism-min = " + threads + ", parallelism-max = " + threads
                + ", parallelism-factor = 1.0 } }");
    }

    /**
     * Precedence, highest first: the caller's overrides, -D system properties (how a forked member
     * receives its launcher's overrides), the run mode, the dispatcher default, application.conf,
     * knetsim/akka.conf, and last every reference.conf.
     */
    private static Config assemble(Config overrides, Config mode) {
        Config knetsim = ConfigFactory.parseResources(AkkaConfig.class.getClassLoader(), "knetsim/akka.conf");
        if (knetsim.isEmpty()) throw new IllegalStateException("knetsim/akka.conf is missing from the classpath");
        return overrides
                .withFallback(ConfigFactory.systemProperties())
                .withFallback(mode)
                .withFallback(defaultDispatcher())
                .withFallback(ConfigFactory.defaultApplication())
                .withFallback(knetsim)
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    public static Config defaultDispatcher() {
        return dispatcher(Runtime.getRuntime().availableProcessors(), 100);
    }

    /** A single-partition run needs no remoting at all. */
    public static Config local(Config overrides) {
        return assemble(overrides, ConfigFactory.parseString("akka.actor.provider = local"));
    }

    /** A cluster member on {@code host}; port 0 picks a free one. */
    public static Config clustered(String host, int port, Config overrides) {
        return assemble(overrides, ConfigFactory.parseString(
                "akka.actor.provider = cluster\n"
                + "akka.remote.artery.canonical.hostname = " + com.typesafe.config.ConfigUtil.quoteString(host) + "\n"
                + "akka.remote.artery.canonical.port = " + port + "\n"));
    }

    /**
     * Artery over TLS with mutual authentication by the run's key in {@code secret} ({@link RunKeyEngineProvider}):
     * only systems that hold the key can connect. Goes into a run's overrides, so forked members get it too.
     */
    public static Config tls(java.nio.file.Path secret) {
        return ConfigFactory.parseString("akka.remote.artery.transport = tls-tcp\n"
                + "akka.remote.artery.ssl.ssl-engine-provider = " + RunKeyEngineProvider.class.getName() + "\n"
                + RunKeyEngineProvider.SECRET_FILE + " = "
                + com.typesafe.config.ConfigUtil.quoteString(secret.toAbsolutePath().toString()) + "\n");
    }

    /** The launcher's system: a cluster member with the {@link #COORDINATOR_ROLE}. */
    public static Config coordinator(String host, int port, Config overrides) {
        return coordinator(host, null, port, overrides);
    }

    /**
     * The launcher's system bound to {@code bindHost} (0.0.0.0: every address of the machine) and known to the
     * members as {@code advertise}: Artery drops a handshake addressed to any other name than its canonical one, so
     * the members must join at the advertised address. {@code advertise} null: the bind address, or for a wildcard
     * bind the machine's first non-loopback address ({@link #advertisedFor}).
     */
    public static Config coordinator(String bindHost, String advertise, int port, Config overrides) {
        String canonical = advertise != null ? advertise : advertisedFor(bindHost);
        Config roles = ConfigFactory.parseString("akka.cluster.roles = [\"" + COORDINATOR_ROLE + "\"]");
        if (!canonical.equals(bindHost)) {
            roles = roles.withFallback(ConfigFactory.parseString("akka.remote.artery.bind.hostname = "
                    + com.typesafe.config.ConfigUtil.quoteString(bindHost)));
        }
        return clustered(canonical, port, overrides.withFallback(roles));
    }

    /** Whether {@code host} is a wildcard address (0.0.0.0, ::) that binds every interface. */
    public static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** The address to advertise for a bind address: itself, or for a wildcard the first non-loopback IPv4 one. */
    public static String advertisedFor(String bindHost) {
        if (!isWildcard(bindHost)) return bindHost;
        try {
            for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) continue;
                for (var a : java.util.Collections.list(nic.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address && !a.isLinkLocalAddress()) return a.getHostAddress();
                }
            }
        } catch (java.net.SocketException e) {
            // no interfaces to list: loopback it is
        }
        return "127.0.0.1";
    }
}
