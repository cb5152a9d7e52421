package knetsim.node.script;

import knetsim.core.serial.CrossJvm;

/**
 * How a script went: its steps, how many completed, whether it ran to its end, whether it was strict and stopped
 * at a mismatch, and each mismatch: the step (0-based), where it is written (FILE:LINE), the step as written,
 * what it expected and what it got.
 */
public record ScriptReport(String process, int steps, int completed, boolean finished, boolean strict, boolean stopped,
                           int[] mismatchSteps, String[] where, String[] text, String[] expected, String[] got)
        implements CrossJvm {
    /** Whether a strict script failed: a mismatch, or steps left when the run ended. */
    public boolean failed() {
        return strict && (mismatchSteps.length > 0 || !finished);
    }
}
