package knetsim.core.serial;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The validated set of {@link KryoModule}s and the one place that configures Kryo, so that every JVM assigns
 * the same id to the same class. Ids 0..99 are reserved for the built-ins registered here.
 */
public final class KryoRegistry {
    public static final int FIRST_MODULE_ID = 100;
    static final int BYTE_ARRAY_ID = 10;
    static final int INT_ARRAY_ID = 11;
    static final int LONG_ARRAY_ID = 12;
    static final int DOUBLE_ARRAY_ID = 13;
    static final int BOOLEAN_ARRAY_ID = 14;
    static final int STRING_ARRAY_ID = 15;
    static final int OBJECT_ARRAY_ID = 16;
    static final int ACTOR_REF_ID = 20;
    /** Messages are shallow trees; the cap turns hostile nesting (Object[] in Object[]...) into an error, not a StackOverflowError. */
    static final int MAX_DEPTH = 100;

    private static final List<Class<?>> BUILT_INS = List.of(byte[].class, int[].class, long[].class, double[].class,
            boolean[].class, String[].class, Object[].class, String.class, Integer.class, Long.class, Double.class,
            Float.class, Boolean.class, Byte.class, Character.class, Short.class);

    private final List<KryoModule> modules;
    private final List<Class<?>> classes;
    private final int[] ids; // parallel to classes
    private final int fingerprint;

    private KryoRegistry(List<KryoModule> modules, List<Class<?>> classes, int[] ids) {
        this.modules = modules;
        this.classes = classes;
        this.ids = ids;
        this.fingerprint = computeFingerprint();
    }

    /** Loads modules from the thread context class loader, or this library's loader if there is none. */
    public static KryoRegistry load() {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        return load(tccl != null ? tccl : KryoModule.class.getClassLoader());
    }

    public static KryoRegistry load(ClassLoader loader) {
        List<KryoModule> found = new ArrayList<>();
        ServiceLoader.load(KryoModule.class, loader).forEach(found::add);
        return of(found);
    }

    /** Validates modules given directly; tests use this to avoid ServiceLoader. */
    static KryoRegistry of(List<? extends KryoModule> given) {
        List<KryoModule> sorted = new ArrayList<>(given);
        sorted.sort(Comparator.comparingInt(KryoModule::firstId));
        Map<Class<?>, KryoModule> owner = new HashMap<>();
        List<Class<?>> classes = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        KryoModule previous = null;
        long previousEnd = FIRST_MODULE_ID; // exclusive
        for (KryoModule module : sorted) {
            // Snapshot once: a module returning a fresh list per call must not be able to vary its ids.
            List<Class<?>> own = List.copyOf(module.classes());
            long first = module.firstId();
            if (first < FIRST_MODULE_ID) {
                throw new IllegalStateException(name(module) + " has firstId " + first + "; ids below " + FIRST_MODULE_ID
                        + " are reserved for built-ins");
            }
            if (first + own.size() - 1 > Integer.MAX_VALUE) {
                throw new IllegalStateException(name(module) + " overflows the id space");
            }
            if (first < previousEnd) {
                throw new IllegalStateException("Kryo id ranges overlap: " + name(previous) + " uses up to id "
                        + (previousEnd - 1) + " but " + name(module) + " starts at " + first);
            }
            for (int i = 0; i < own.size(); i++) {
                Class<?> cls = own.get(i);
                // Kryo would silently give an already-registered class a second id, and the peers would disagree on which.
                if (BUILT_INS.contains(cls) || cls.isPrimitive() || ActorRef.class.isAssignableFrom(cls)) {
                    throw new IllegalStateException(name(module) + " registers built-in " + cls.getName());
                }
                KryoModule other = owner.putIfAbsent(cls, module);
                if (other != null) {
                    throw new IllegalStateException(cls.getName() + " is registered twice: by " + name(other) + " and by "
                            + name(module));
                }
                classes.add(cls);
                ids.add((int) (first + i));
            }
            previous = module;
            previousEnd = first + own.size();
        }
        return new KryoRegistry(List.copyOf(sorted), List.copyOf(classes),
                ids.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String name(KryoModule module) {
        return module.getClass().getName();
    }

    /**
     * Hash of every id, class name and record/enum shape: equal in two JVMs only if they decode each other's
     * bytes to the same classes and fields. Sent with every message (see {@link KryoSerializer}).
     */
    public int fingerprint() {
        return fingerprint;
    }

    // Built from a real Kryo so it also covers Kryo's own pre-registrations and the serializer chosen per class.
    private int computeFingerprint() {
        Kryo kryo = newKryo(null);
        StringBuilder schema = new StringBuilder("knetsim-kryo-1\n");
        schema.append(ACTOR_REF_ID).append(' ').append(ActorRefSerializer.ADAPTER_CLASS).append('\n');
        for (int id = 0; id < FIRST_MODULE_ID; id++) describe(schema, kryo.getRegistration(id));
        for (int id : ids) describe(schema, kryo.getRegistration(id));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(schema.toString().getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getInt();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    private static void describe(StringBuilder schema, Registration registration) {
        if (registration == null) return;
        Class<?> cls = registration.getType();
        schema.append(registration.getId()).append(' ').append(cls.getName()).append(' ')
                .append(registration.getSerializer().getClass().getName());
        if (cls.isRecord()) {
            for (RecordComponent rc : cls.getRecordComponents()) {
                schema.append(' ').append(rc.getName()).append(':').append(rc.getType().getName());
            }
        } else if (cls.isEnum()) {
            for (Object constant : cls.getEnumConstants()) schema.append(' ').append(((Enum<?>) constant).name());
        }
        schema.append('\n');
    }

    /** Modules sorted by firstId. */
    public List<KryoModule> modules() {
        return modules;
    }

    /**
     * A fresh Kryo (not thread-safe: pool it) with built-ins and all module classes registered; ActorRefs are
     * only supported when a resolver is given, since resolving needs the actor system.
     */
    public Kryo newKryo(ActorRefResolver resolverOrNull) {
        Kryo kryo = new StrictKryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.setMaxDepth(MAX_DEPTH);
        kryo.getRegistration(String.class).setSerializer(new BoundedSerializers.Str());
        kryo.register(byte[].class, checked(new DefaultArraySerializers.ByteArraySerializer(), 1), BYTE_ARRAY_ID);
        kryo.register(int[].class, checked(new DefaultArraySerializers.IntArraySerializer(), 1), INT_ARRAY_ID);
        kryo.register(long[].class, checked(new DefaultArraySerializers.LongArraySerializer(), 1), LONG_ARRAY_ID);
        kryo.register(double[].class, checked(new DefaultArraySerializers.DoubleArraySerializer(), 8), DOUBLE_ARRAY_ID);
        kryo.register(boolean[].class, checked(new DefaultArraySerializers.BooleanArraySerializer(), 1), BOOLEAN_ARRAY_ID);
        kryo.register(String[].class, new BoundedSerializers.StrArray(), STRING_ARRAY_ID);
        kryo.register(Object[].class,
                checked(new DefaultArraySerializers.ObjectArraySerializer(kryo, Object[].class), 1), OBJECT_ARRAY_ID);
        if (resolverOrNull != null) {
            ActorRefSerializer refs = new ActorRefSerializer(resolverOrNull);
            kryo.register(ActorRefSerializer.adapterClass(), refs, ACTOR_REF_ID);
            kryo.addDefaultSerializer(ActorRef.class, refs);
        }
        for (int i = 0; i < classes.size(); i++) {
            Registration registration = kryo.register(classes.get(i), ids[i]);
            if (classes.get(i).isArray()) {
                // Module arrays (e.g. Foo[]) get Kryo's ObjectArraySerializer, which also trusts the declared length.
                registration.setSerializer(checked(registration.getSerializer(), 1));
            }
        }
        return kryo;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Serializer<?> checked(Serializer<?> delegate, int minElementBytes) {
        return new BoundedSerializers.CheckedArray(delegate, minElementBytes);
    }

    /** Names the class in its error and never resolves class names sent on the wire. */
    private static final class StrictKryo extends Kryo {
        StrictKryo() {
            super(new NoNamesClassResolver(), null);
        }

        @Override
        protected String unregisteredClassMessage(@SuppressWarnings("rawtypes") Class type) {
            return type.getName() + " is not registered for Kryo: add it to a KryoModule";
        }
    }

    /** A peer cannot make us load an arbitrary class: registration is required, so names are never legitimate. */
    private static final class NoNamesClassResolver extends DefaultClassResolver {
        @Override
        protected Registration readName(Input input) {
            throw new KryoException("refusing a class sent by name: every class must be registered by id");
        }
    }
}
