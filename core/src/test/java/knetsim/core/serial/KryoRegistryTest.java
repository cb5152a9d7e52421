package knetsim.core.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.RecordSerializer;
import java.util.List;
import knetsim.core.serial.TestMessages.Colour;
import knetsim.core.serial.TestMessages.Point;
import knetsim.core.serial.TestMessages.Segment;
import org.junit.jupiter.api.Test;

/** Module validation and the Kryo configuration, without an actor system. */
class KryoRegistryTest {
    private record Module(int firstId, List<Class<?>> classes) implements KryoModule {}

    private record OtherModule(int firstId, List<Class<?>> classes) implements KryoModule {}

    @Test
    void serviceLoaderFindsTheTestModule() {
        KryoRegistry registry = KryoRegistry.load();
        assertTrue(registry.modules().stream().anyMatch(m -> m instanceof TestKryoModule), registry.modules().toString());
    }

    @Test
    void idsFollowModuleOrder() {
        Kryo kryo = KryoRegistry.of(List.of(new TestKryoModule())).newKryo(null);
        assertEquals(9000, kryo.getRegistration(Point.class).getId());
        assertEquals(9001, kryo.getRegistration(Colour.class).getId());
        assertEquals(9002, kryo.getRegistration(Segment.class).getId());
        assertEquals(KryoRegistry.LONG_ARRAY_ID, kryo.getRegistration(long[].class).getId());
        assertEquals(KryoRegistry.OBJECT_ARRAY_ID, kryo.getRegistration(Object[].class).getId());
    }

    @Test
    void recordsUseRecordSerializerAndEnumsEnumSerializer() {
        Kryo kryo = KryoRegistry.of(List.of(new TestKryoModule())).newKryo(null);
        assertInstanceOf(RecordSerializer.class, kryo.getDefaultSerializer(Point.class));
        assertInstanceOf(RecordSerializer.class, kryo.getRegistration(Segment.class).getSerializer());
        assertInstanceOf(DefaultSerializers.EnumSerializer.class, kryo.getRegistration(Colour.class).getSerializer());
        // GREEN has a body, so its class is an anonymous subclass; Kryo maps it to the enum's registration.
        assertEquals(9001, kryo.getRegistration(Colour.GREEN.getClass()).getId());
    }

    @Test
    void modulesAreSortedByFirstId() {
        KryoModule high = new Module(500, List.of(Segment.class));
        KryoModule low = new OtherModule(100, List.of(Point.class));
        KryoRegistry registry = KryoRegistry.of(List.of(high, low));
        assertEquals(List.of(low, high), registry.modules());
        Kryo kryo = registry.newKryo(null);
        assertEquals(100, kryo.getRegistration(Point.class).getId());
        assertEquals(500, kryo.getRegistration(Segment.class).getId());
    }

    @Test
    void overlappingRangesAreRejectedNamingBothModules() {
        KryoModule a = new Module(100, List.of(Point.class, Colour.class));
        KryoModule b = new OtherModule(101, List.of(Segment.class));
        var e = assertThrows(IllegalStateException.class, () -> KryoRegistry.of(List.of(b, a)));
        assertTrue(e.getMessage().contains(Module.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(OtherModule.class.getName()), e.getMessage());
    }

    @Test
    void adjacentRangesAreAccepted() {
        KryoRegistry.of(List.of(new Module(100, List.of(Point.class, Colour.class)), new OtherModule(102,
                List.of(Segment.class))));
    }

    @Test
    void aClassInTwoModulesIsRejectedNamingBoth() {
        KryoModule a = new Module(100, List.of(Point.class));
        KryoModule b = new OtherModule(200, List.of(Segment.class, Point.class));
        var e = assertThrows(IllegalStateException.class, () -> KryoRegistry.of(List.of(a, b)));
        assertTrue(e.getMessage().contains(Point.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(Module.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(OtherModule.class.getName()), e.getMessage());
    }

    @Test
    void reservedIdsAndBuiltInsAreRejected() {
        assertThrows(IllegalStateException.class, () -> KryoRegistry.of(List.of(new Module(99, List.of(Point.class)))));
        for (Class<?> builtIn : List.of(long[].class, String.class, Integer.class, int.class, ActorRefSerializer.adapterClass())) {
            assertThrows(IllegalStateException.class, () -> KryoRegistry.of(List.of(new Module(100, List.of(builtIn)))));
        }
        assertThrows(IllegalStateException.class,
                () -> KryoRegistry.of(List.of(new Module(Integer.MAX_VALUE, List.of(Point.class, Colour.class)))));
    }

    @Test
    void fingerprintIsStableButTracksIdsAndShapes() {
        int base = KryoRegistry.of(List.of(new Module(100, List.of(Point.class, Colour.class)))).fingerprint();
        assertEquals(base, KryoRegistry.of(List.of(new OtherModule(100, List.of(Point.class, Colour.class)))).fingerprint());
        assertNotEquals(base, KryoRegistry.of(List.of(new Module(100, List.of(Colour.class, Point.class)))).fingerprint());
        assertNotEquals(base, KryoRegistry.of(List.of(new Module(101, List.of(Point.class, Colour.class)))).fingerprint());
        assertNotEquals(base, KryoRegistry.of(List.of(new Module(100, List.of(Point.class)))).fingerprint());
    }

    @Test
    void actorRefsAreRegisteredOnlyWithAResolver() {
        Class<?> adapter = ActorRefSerializer.adapterClass();
        assertNotNull(adapter);
        Kryo kryo = KryoRegistry.of(List.of()).newKryo(null);
        assertEquals(null, kryo.getClassResolver().getRegistration(KryoRegistry.ACTOR_REF_ID));
    }
}
