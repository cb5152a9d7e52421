package knetsim.core.engine;

import knetsim.core.serial.CrossJvm;

/**
 * What an event carries. Payloads cross JVMs (Kryo) and feed the run digest, so each one
 * states a fingerprint that is a pure function of its content, identical in every JVM.
 */
public interface Payload extends CrossJvm {
    /** A hash of the content only: never identity hashes, enum hashCodes or wall-clock values. */
    long fingerprint();

    /**
     * About how many bytes Kryo writes for this payload: what the partition scheduler adds up to cut its
     * batches to another partition before they pass Artery's frame. Override it where the payload carries
     * bytes (a frame, a buffer); it must be cheap (no allocation, no serialisation) and need not be exact.
     */
    default int sizeHint() {
        return DEFAULT_SIZE_HINT;
    }

    /** The size hint of a payload of a few fields. */
    int DEFAULT_SIZE_HINT = 64;
}
