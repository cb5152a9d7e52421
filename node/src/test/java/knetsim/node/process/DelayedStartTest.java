package knetsim.node.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;
import org.junit.jupiter.api.Test;

/** A program launched later makes its first system call only after its start time. */
class DelayedStartTest {
    static final class Clock implements ProcessContext {
        long now;
        final List<String> log = new ArrayList<>();
        Runnable sleeping;

        public long now() {
            return now;
        }

        public void call(Syscall call, Consumer<SyscallResult> then) {
            log.add(now + " " + call.getClass().getSimpleName());
        }

        public void sleep(long ns, Runnable then) {
            log.add(now + " sleep " + ns);
            now += ns;
            sleeping = then;
        }

        public SplittableRandom random() {
            return new SplittableRandom(1);
        }

        public String name() {
            return "h1/test";
        }
    }

    @Test
    void theApplicationStartsAfterItsDelay() {
        Clock clock = new Clock();
        Application program = c -> c.call(new Syscall.Socket(Syscall.Protocol.UDP), r -> {});
        new DelayedStart(5_000_000, program).start(clock);
        assertEquals(List.of("0 sleep 5000000"), clock.log, "nothing before the start time");
        clock.sleeping.run();
        assertEquals(List.of("0 sleep 5000000", "5000000 Socket"), clock.log);
    }

    @Test
    void startZeroRunsAtOnceWithoutASleep() {
        Clock clock = new Clock();
        new DelayedStart(0, c -> c.call(new Syscall.EpollCreate(), r -> {})).start(clock);
        assertEquals(List.of("0 EpollCreate"), clock.log);
    }
}
