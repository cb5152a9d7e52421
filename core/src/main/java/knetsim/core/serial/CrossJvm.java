package knetsim.core.serial;

/**
 * Marks messages that Kryo serialises between JVMs (bound to {@link KryoSerializer} in the Akka config).
 * Implementors should be records of primitives, Strings, arrays, enums and other CrossJvm records, registered
 * in a {@link KryoModule}; no java.util collections: List.of() and friends are JDK implementation classes that
 * Kryo cannot register reliably.
 */
public interface CrossJvm {}
