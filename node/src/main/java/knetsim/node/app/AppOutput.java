package knetsim.node.app;

/**
 * What a process printed, as its end-of-run report carries it: the results folder gets it as
 * {@code apps/<node>.<process>.txt}; {@code exitStatus} is the program's, -1 for one that has none.
 */
public interface AppOutput {
    /** "node/process", as Process names it. */
    String process();

    String[] lines();

    int exitStatus();
}
