package knetsim.core.run;

import akka.actor.DeadLetter;
import knetsim.core.serial.CrossJvm;

/**
 * A run's message that Akka could not deliver: a dead letter. Artery sends a message to dead letters when
 * the send queue to a member is full ({@code outbound-message-queue-size}) or the recipient is gone, and
 * only logs it (at DEBUG), so a run would wait forever for what was dropped. The coordinator and every
 * member agent watch their system's dead letters and fail the run with {@link #reason}.
 */
final class DroppedMessages {
    private DroppedMessages() {}

    /** Why the run must fail, or null when the letter is not one of the run's messages between JVMs. */
    static String reason(DeadLetter letter) {
        Object message = letter.message();
        // Artery hands dead letters the envelope it could not queue
        if (message instanceof akka.remote.artery.OutboundEnvelope envelope) message = envelope.message();
        if (!(message instanceof CrossJvm)) return null;
        return "a " + message.getClass().getName().replaceFirst("^.*\\.", "") + " message to "
                + letter.recipient().path() + " could not be delivered (the transport's send queue to that member"
                + " was full, or the recipient had stopped): a run never goes on without one of its messages";
    }
}
