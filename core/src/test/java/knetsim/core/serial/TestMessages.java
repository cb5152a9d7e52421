package knetsim.core.serial;

import akka.actor.typed.ActorRef;
import java.util.List;

/** Messages registered by {@link TestKryoModule}, plus a few deliberately left out. */
final class TestMessages {
    private TestMessages() {}

    record Point(int x, long y, double z, boolean up) implements CrossJvm {}

    enum Colour implements CrossJvm {
        RED,
        // A constant with a body is an anonymous subclass, which Kryo must map back to the enum's registration.
        GREEN {
            @Override
            public String toString() {
                return "green";
            }
        },
        BLUE
    }

    record Segment(String name, Point from, Point to, Colour colour) implements CrossJvm {}

    record Blob(long[] longs, byte[] bytes, String[] names, int[] ints, double[] doubles, boolean[] flags)
            implements CrossJvm {}

    record Path(Point[] points, Object[] mixed) implements CrossJvm {}

    record Reply(ActorRef<String> replyTo, String text) implements CrossJvm {}

    /** Registered, but its field holds a JDK collection implementation that is not. */
    record WithList(List<String> items) implements CrossJvm {}

    /** Never registered. */
    record Unregistered(int x) implements CrossJvm {}

    /** Serializable but not CrossJvm: must go nowhere with Java serialization off. */
    record PlainSerializable(int x) implements java.io.Serializable {}
}
