package knetsim.node.icmp;

import knetsim.node.socket.DatagramSock;

/**
 * A ping socket (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), net/ipv4/ping.c): the user writes echo
 * requests, the kernel sets their identifier to the socket's ident, and echo replies carrying
 * that identifier are queued to it.
 */
public final class PingSocket extends DatagramSock {
    private int ident; // 0: not bound yet

    public PingSocket(int id) {
        super(id);
    }

    public int ident() {
        return ident;
    }

    void bindIdent(int ident) {
        this.ident = ident;
    }
}
