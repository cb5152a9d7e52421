package knetsim.core.serial;

import java.util.List;

/**
 * Service-provider interface (java.util.ServiceLoader) through which each project module contributes the
 * classes it sends between JVMs; list implementations in META-INF/services/knetsim.core.serial.KryoModule.
 */
public interface KryoModule {
    /** First registration id of this module; ids firstId .. firstId+classes().size()-1 belong to it. Ranges must not overlap. */
    int firstId();

    /** Classes in a fixed order: the order defines their Kryo ids, identical in every JVM. */
    List<Class<?>> classes();
}
