package knetsim.core.engine;

import knetsim.core.serial.CrossJvm;

/**
 * What an event carries. Payloads cross JVMs (Kryo) and feed the run digest, so each one
 * states a fingerprint that is a pure function of its content, identical in every JVM.
 */
public interface Payload extends CrossJvm {
    /** A hash of the content only: never identity hashes, enum hashCodes or wall-clock values. */
    long fingerprint();
}
