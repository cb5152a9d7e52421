package knetsim.node.process;

import java.util.List;
import knetsim.core.serial.CrossJvm;

/**
 * User code that runs in a {@link Process}: it is started once, then acts only through its
 * {@link ProcessContext} (system calls and sleeps), like a single-threaded program.
 */
public interface Application {
    void start(ProcessContext context);

    /** What the application reports at the end of the run (Kryo-registered records). */
    default List<? extends CrossJvm> report(long now) {
        return List.of();
    }
}
