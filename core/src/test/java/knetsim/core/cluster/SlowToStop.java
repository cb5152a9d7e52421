package knetsim.core.cluster;

import akka.actor.AbstractExtensionId;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;

/**
 * An Akka extension (for tests) that makes its ActorSystem slow to stop: a termination callback that takes
 * {@link #STOP_MILLIS}, as an Artery shutdown that hangs does. Loaded with
 * {@code akka.extensions = ["knetsim.core.cluster.SlowToStop"]}.
 */
public final class SlowToStop extends AbstractExtensionId<SlowToStop.Slow> {
    static final long STOP_MILLIS = 25_000;

    public static final class Slow implements Extension {}

    @Override
    public Slow createExtension(ExtendedActorSystem system) {
        system.registerOnTermination(() -> {
            try {
                Thread.sleep(STOP_MILLIS); // a test's stand-in for a stuck shutdown, not model time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return new Slow();
    }
}
