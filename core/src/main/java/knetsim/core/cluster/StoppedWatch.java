package knetsim.core.cluster;

import akka.actor.typed.ActorRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import knetsim.core.run.RunCoordinator;

/**
 * Notices a forked member that is stopped (SIGSTOP, a debugger) before it has joined the cluster, where the failure
 * detector cannot see it yet: without this the launcher waited out the whole set-up timeout. It reads the process
 * state from /proc (Linux; elsewhere it does nothing) twice a second until every member has joined; a member
 * stopped for {@link #STOPPED_MS} is reported lost, as fast as the failure detector would during the run.
 * Wall-clock polling in the launcher, outside the model.
 */
final class StoppedWatch {
    /** As akka.cluster.failure-detector.acceptable-heartbeat-pause in knetsim/akka.conf. */
    static final long STOPPED_MS = 3_000;

    private StoppedWatch() {}

    static void start(Process process, String name, CompletableFuture<Void> allJoined,
                      ActorRef<RunCoordinator.Command> coordinator) {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        if (!Files.isReadable(stat)) return;
        Thread t = new Thread(() -> {
            long stoppedSince = -1;
            try {
                while (!allJoined.isDone() && process.isAlive()) {
                    boolean stopped = stopped(stat);
                    long now = System.nanoTime();
                    if (!stopped) {
                        stoppedSince = -1;
                    } else if (stoppedSince < 0) {
                        stoppedSince = now;
                    } else if (now - stoppedSince >= STOPPED_MS * 1_000_000) {
                        coordinator.tell(new RunCoordinator.MemberLost(name, "was stopped (process state T) for "
                                + STOPPED_MS / 1000 + " s during set-up"));
                        return;
                    }
                    Thread.sleep(500); // the launcher's poll of its child, outside the model
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "knetsim-stopped-watch-" + process.pid());
        t.setDaemon(true);
        t.start();
    }

    /** proc(5): the state is the field after the parenthesised command name; T or t is stopped or traced. */
    static boolean stopped(Path stat) {
        try {
            String s = Files.readString(stat);
            int close = s.lastIndexOf(')');
            char state = close >= 0 && close + 2 < s.length() ? s.charAt(close + 2) : '?';
            return state == 'T' || state == 't';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
