package knetsim.core.run;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Adapter;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may send a run's control messages: every cross-JVM message of the coordinator, the member agents and
 * the partition schedulers travels with its sender ({@link #tell}), and the receiver refuses one whose sender
 * is not the run's coordinator or a member it admitted (a program outside the run that reached an Artery
 * port). A refused message is dropped and counted; the first {@link #BURST} are logged, then one line at every
 * power of ten. Over the default TLS transport only holders of the run's key reach the port at all; without
 * TLS the sender is what the envelope claims, so this check stops a process that sends without forging one.
 */
public final class SenderCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SenderCheck.class);
    /** Refusals logged one by one before only the summaries are. */
    static final int BURST = 5;

    private final String receiver;
    private final AtomicLong refused;

    /** @param refused where refusals are counted (the launcher reads the coordinator's during the run) */
    public SenderCheck(String receiver, AtomicLong refused) {
        this.receiver = receiver;
        this.refused = refused;
    }

    public SenderCheck(String receiver) {
        this(receiver, new AtomicLong());
    }

    /** Sends {@code message} to {@code to} with {@code from} as its sender, which the receiver checks. */
    public static <T> void tell(ActorRef<T> to, T message, ActorRef<?> from) {
        Adapter.toClassic(to).tell(message, Adapter.toClassic(from));
    }

    /**
     * The address the message being processed came from, or null when it has no sender (a remote message
     * without one is delivered as if it came from this system's dead letters, so that counts as none).
     */
    public static Address senderAddress(ActorContext<?> context) {
        akka.actor.ActorContext classic = Adapter.toClassic(context);
        akka.actor.ActorRef sender = classic.sender();
        if (sender == null || sender.equals(classic.system().deadLetters())) return null;
        return sender.path().address();
    }

    /** The address {@code ref} lives at; local refs have this system's local address, as local senders do. */
    public static Address addressOf(ActorRef<?> ref) {
        return ref.path().address();
    }

    /**
     * Whether the message being processed came from {@code expected} (an address, or null for none allowed);
     * if not, counts and logs the refusal.
     */
    public boolean from(ActorContext<?> context, Object message, Address expected) {
        Address sender = senderAddress(context);
        if (sender != null && sender.equals(expected)) return true;
        refuse(message, sender);
        return false;
    }

    /** Counts and logs a refused message. */
    // net_ratelimit(): a burst is logged, then a count at every power of ten
    public void refuse(Object message, Address sender) {
        long n = refused.incrementAndGet();
        String who = sender == null ? "no sender" : sender.toString();
        if (n <= BURST) {
            LOG.warn("{} refused a {} from {}: not from this run's launcher or a member it admitted",
                    receiver, message.getClass().getSimpleName(), who);
        } else if (isPowerOfTen(n)) {
            LOG.warn("{} has refused {} messages not from this run (the first {} are shown, then one line per power"
                    + " of ten); the latest: a {} from {}", receiver, n, BURST, message.getClass().getSimpleName(), who);
        }
    }

    /** Messages refused so far. */
    public long refused() {
        return refused.get();
    }

    static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) n /= 10;
        return n == 1;
    }
}
