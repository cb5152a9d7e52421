package knetsim.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** knetsim's Akka settings must win over Akka's own reference.conf, whatever the classpath order. */
class AkkaConfigTest {
    @Test
    void knetsimSettingsOverrideAkkaDefaults() {
        Config c = AkkaConfig.clustered("127.0.0.1", 0, ConfigFactory.empty());
        assertFalse(c.getBoolean("akka.cluster.jmx.enabled"), "Akka's default is on");
        assertEquals(Duration.ofMillis(200), c.getDuration("akka.cluster.gossip-interval"));
        assertFalse(c.getBoolean("akka.coordinated-shutdown.run-by-actor-system-terminate"));
        assertEquals("WARNING", c.getString("akka.loglevel"));
        assertEquals("cluster", c.getString("akka.actor.provider"));
        assertEquals("127.0.0.1", c.getString("akka.remote.artery.canonical.hostname"));
        assertEquals("kryo", c.getString("akka.actor.serialization-bindings.\"knetsim.core.serial.CrossJvm\""));
        assertFalse(c.getBoolean("akka.actor.allow-java-serialization"));
        assertEquals(Runtime.getRuntime().availableProcessors(),
                c.getInt("akka.actor.default-dispatcher.fork-join-executor.parallelism-max"));
    }

    @Test
    void overridesAndSystemPropertiesWinOverTheDispatcherDefault() {
        assertEquals(1, AkkaConfig.local(AkkaConfig.dispatcher(3, 1)).getInt("akka.actor.default-dispatcher.throughput"));
        // A forked member receives its launcher's overrides as -D properties.
        String key = "akka.actor.default-dispatcher.throughput";
        System.setProperty(key, "7");
        ConfigFactory.invalidateCaches();
        try {
            assertEquals(7, AkkaConfig.clustered("127.0.0.1", 0, ConfigFactory.empty()).getInt(key));
        } finally {
            System.clearProperty(key);
            ConfigFactory.invalidateCaches();
        }
    }
}
