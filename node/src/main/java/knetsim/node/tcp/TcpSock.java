package knetsim.node.tcp;

import knetsim.node.socket.Sock;

/**
 * struct tcp_sock: one TCP endpoint (a listener, a connecting or connected socket). CONTRACT: the
 * protocol branch fills it in (write and retransmit queues, out-of-order queue, receive queue,
 * RTT estimator, congestion state, timers as deadlines). The socket layer sees it only through
 * {@link Tcp}'s operations and the read-only accessors below.
 */
public class TcpSock extends Sock {
    public TcpSock(int id) {
        super(id);
    }

    public TcpState state() {
        throw new UnsupportedOperationException("protocol branch");
    }

    /** TCP_INFO. */
    public TcpInfo info(long now) {
        throw new UnsupportedOperationException("protocol branch");
    }
}
