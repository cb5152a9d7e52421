package knetsim.core.run;

import akka.actor.DeadLetter;
import knetsim.core.serial.CrossJvm;

/**
 * A run's message that Artery could not send: a dead letter holding the envelope it could not queue. Artery
 * sends a message to dead letters when the send queue to a member is full ({@code outbound-message-queue-size})
 * and only logs it (at DEBUG), so a run would wait forever for what was dropped. The coordinator and every
 * member agent watch their system's dead letters and fail the run with {@link #reason}. A message that reached
 * a system whose recipient had stopped is not one of these: actors of a run stop only when it fails, and the
 * failure gives its own reason.
 */
final class DroppedMessages {
    private DroppedMessages() {}

    /** Why the run must fail, or null when the letter is not one of the run's messages between JVMs. */
    static String reason(DeadLetter letter) {
        // Artery hands dead letters the envelope it could not queue, or the message, addressed to the remote actor
        Object message = letter.message();
        if (message instanceof akka.remote.artery.OutboundEnvelope envelope) {
            message = envelope.message();
        } else if (letter.recipient() == null || letter.recipient().path().address().hasLocalScope()) {
            return null;   // it reached this system, whose recipient had stopped
        }
        if (!(message instanceof CrossJvm)) return null;
        return "a " + knetsim.core.serial.KryoSerializer.simpleName(message.getClass().getName()) + " message could not be sent to"
                + " another member (the transport's send queue to it was full): a run never goes on without one of"
                + " its messages";
    }
}
