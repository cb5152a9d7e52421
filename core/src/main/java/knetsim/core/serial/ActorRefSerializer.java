package knetsim.core.serial;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Writes a typed ActorRef as its full path with address and reads it back through {@link ActorRefResolver},
 * so the ref stays usable from another JVM.
 */
public final class ActorRefSerializer extends Serializer<ActorRef<?>> {
    /** Runtime class of typed refs in Akka 2.6; a registration needs the concrete class, not the interface. */
    public static final String ADAPTER_CLASS = "akka.actor.typed.internal.adapter.ActorRefAdapter";

    private final ActorRefResolver resolver;

    public ActorRefSerializer(ActorRefResolver resolver) {
        super(false, true);
        this.resolver = resolver;
    }

    /** The concrete class to register, loaded by name because it is Akka-internal. */
    public static Class<?> adapterClass() {
        try {
            return Class.forName(ADAPTER_CLASS, false, ActorRef.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(ADAPTER_CLASS + " not found: the Akka version changed its typed ActorRef class", e);
        }
    }

    @Override
    public void write(Kryo kryo, Output output, ActorRef<?> ref) {
        output.writeString(resolver.toSerializationFormat(ref));
    }

    @Override
    public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
        String path = BoundedSerializers.readString(input);
        if (path == null) throw new KryoException("null actor path");
        return resolver.resolveActorRef(path);
    }
}
