package knetsim.core.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Akka settings of the ActorSystems a run uses. One partition is one ActorSystem; with more than
 * one they form an Akka Cluster over Artery TCP bound to loopback, with ephemeral ports.
 */
public final class AkkaConfig {
    /** Every member of one run must share the system name to form a cluster. */
    public static final String SYSTEM_NAME = "knetsim";

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

    public static Config defaultDispatcher() {
        return dispatcher(Runtime.getRuntime().availableProcessors(), 100);
    }

    /** A single-partition run needs no remoting at all. */
    public static Config local(Config overrides) {
        return overrides.withFallback(ConfigFactory.parseString("akka.actor.provider = local"))
                .withFallback(defaultDispatcher())
                .withFallback(ConfigFactory.load());
    }

    /** A cluster member on {@code host}; port 0 picks a free one. */
    public static Config clustered(String host, int port, Config overrides) {
        return overrides
                .withFallback(ConfigFactory.parseString(
                        "akka.actor.provider = cluster\n"
                        + "akka.remote.artery.canonical.hostname = \"" + host + "\"\n"
                        + "akka.remote.artery.canonical.port = " + port + "\n"))
                .withFallback(defaultDispatcher())
                .withFallback(ConfigFactory.load());
    }
}
