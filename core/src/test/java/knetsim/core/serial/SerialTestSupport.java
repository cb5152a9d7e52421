package knetsim.core.serial;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import scala.util.Try;

/** The Akka binding exactly as documented for reference.conf, and round-trip helpers through SerializationExtension. */
final class SerialTestSupport {
    static final String BINDING = """
            akka.actor {
                serializers { kryo = "knetsim.core.serial.KryoSerializer" }
                serialization-bindings { "knetsim.core.serial.CrossJvm" = kryo }
                allow-java-serialization = off
            }
            """;

    private SerialTestSupport() {}

    static ActorTestKit testKit(String name, String extraConfig) {
        return ActorTestKit.create(name,
                ConfigFactory.parseString(extraConfig).withFallback(ConfigFactory.parseString(BINDING))
                        .withFallback(ConfigFactory.load()));
    }

    static Serialization serialization(ActorTestKit kit) {
        return SerializationExtension.get(kit.system().classicSystem());
    }

    static byte[] serialize(ActorTestKit kit, Object message) {
        return serialization(kit).serialize(message).get();
    }

    /** Deserialises as Artery would: by the serializer id and manifest recorded when sending. */
    static Try<Object> deserialize(ActorTestKit kit, byte[] bytes) {
        return serialization(kit).deserialize(bytes, KryoSerializer.IDENTIFIER, "");
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(ActorTestKit kit, T message) {
        Serialization serialization = serialization(kit);
        Serializer serializer = serialization.findSerializerFor(message);
        if (!(serializer instanceof KryoSerializer)) throw new AssertionError("picked " + serializer.getClass());
        byte[] bytes = serialization.serialize(message).get();
        return (T) serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
    }
}
