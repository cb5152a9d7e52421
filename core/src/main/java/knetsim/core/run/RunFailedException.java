package knetsim.core.run;

/** A run ended without a result; the message says why in one sentence a user can act on. */
public final class RunFailedException extends Exception {
    public RunFailedException(String message) {
        super(message);
    }
}
