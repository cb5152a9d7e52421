package knetsim.core.engine;

/** An LP was asked to process an event earlier than one it already processed: an engine or model bug. */
public final class CausalityViolation extends RuntimeException {
    public CausalityViolation(String message) {
        super(message);
    }
}
