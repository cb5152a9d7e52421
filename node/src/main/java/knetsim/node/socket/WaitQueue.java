package knetsim.node.socket;

import java.util.ArrayList;

/**
 * wait_queue_head_t of a socket: the calls sleeping on it, in the order they went to sleep. The socket layer
 * adds and removes its waiters; a wake-up (sk_data_ready and friends) only marks the socket, and its waiters run
 * once the current kernel work is done, never nested inside it.
 */
public final class WaitQueue {
    private final ArrayList<Object> waiters = new ArrayList<>(1);

    // add_wait_queue()
    void add(Object waiter) {
        waiters.add(waiter);
    }

    // remove_wait_queue()
    void remove(Object waiter) {
        waiters.remove(waiter);
    }

    // wq_has_sleeper()
    public boolean hasSleeper() {
        return !waiters.isEmpty();
    }

    // the sleepers now, in the order they went to sleep
    Object[] snapshot() {
        return waiters.toArray();
    }
}
