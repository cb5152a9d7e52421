package knetsim.node.socket;

/** sk_data_ready() / sk_error_report() / sk_write_space(): something a waiter may want happened on a socket. */
public interface SocketWakeup {
    void wake(Sock socket, long now);
}
