package knetsim.node.process;

import java.util.List;
import knetsim.core.serial.CrossJvm;

/** An application started {@code startNs} into the run, as a program launched later would be. */
public final class DelayedStart implements Application {
    private final long startNs;
    private final Application application;

    public DelayedStart(long startNs, Application application) {
        if (startNs < 0) throw new IllegalArgumentException("start must be >= 0, got " + startNs);
        this.startNs = startNs;
        this.application = application;
    }

    @Override
    public void start(ProcessContext context) {
        if (startNs == 0) application.start(context);
        else context.sleep(startNs, () -> application.start(context));
    }

    @Override
    public List<? extends CrossJvm> report(long now) {
        return application.report(now);
    }

    public Application application() {
        return application;
    }
}
