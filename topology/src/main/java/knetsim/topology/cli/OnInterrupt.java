package knetsim.topology.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Ctrl-C or SIGTERM during a command: the work is aborted with {@link #REASON}, and the JVM waits
 * (up to 20 s) until the command has written its incomplete results. Close it when done.
 */
final class OnInterrupt implements AutoCloseable {
    static final String REASON = "interrupted (the process received a termination signal)";

    private final CountDownLatch written = new CountDownLatch(1);
    private final Thread hook;

    private OnInterrupt(String name, Consumer<String> abort) {
        hook = new Thread(() -> {
            Main.shuttingDown = true;
            abort.accept(REASON);
            try {
                written.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static OnInterrupt install(String name, Consumer<String> abort) {
        return new OnInterrupt(name, abort);
    }

    @Override
    public void close() {
        written.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running
        }
    }
}
