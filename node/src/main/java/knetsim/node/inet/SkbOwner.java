package knetsim.node.inet;

import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.DatagramSock;
import knetsim.node.socket.Sock;
import knetsim.node.socket.SyscallResult;

/**
 * The sending socket's side of the skbs ip output allocates, supplied by the transport: it decides whether an
 * skb may be allocated (sock_alloc_send_pskb(): sk_err, send memory), is charged for each one (skb_set_owner_w)
 * and hears of a local error (ip_local_error()). IP output only calls these at the points Linux does.
 */
public interface SkbOwner {
    /** The socket's number in its host: the skbs carry it, and their transmit completion goes back to it. */
    int id();

    /** sock_alloc_send_pskb(): 0 when an skb may be allocated now, an errno (sk_err), or {@link Inet#WOULD_BLOCK}. */
    int allocSendSkb();

    /** skb_set_owner_w(): the skb of {@code truesize} is charged to the socket until the driver frees it. */
    void charge(int truesize);

    /** ip_local_error(): EMSGSIZE with the path MTU as ee_info, for IP_RECVERR sockets. */
    void localError(int errno, int info, Ipv4Address destination);

    /**
     * ip_select_ident_segs()'s private generator: the IP ID of the next datagram of a socket with a peer
     * (inet_daddr: connected UDP, TCP), taken from its inet_id; -1 for a socket without one.
     */
    default int selectIdent(int segs) {
        return -1;
    }

    /** A datagram socket's side: sock_alloc_send_pskb() on its sk_err and send memory, charged by truesize. */
    static SkbOwner of(DatagramSock socket) {
        return new SkbOwner() {
            public int id() {
                return socket.id();
            }

            public int allocSendSkb() {
                return socket.allocSendSkb();
            }

            public void charge(int truesize) {
                socket.chargeWrite(truesize);
            }

            public int selectIdent(int segs) {
                return socket.hasPeer() ? socket.nextInetId(segs, false) : -1;
            }

            public void localError(int errno, int info, Ipv4Address destination) {
                if (socket.recverr()) socket.queueError(SyscallResult.ErrorReceived.local(errno, info, destination));
            }
        };
    }

    /** A TCP socket's side: its skbs carry its number, TCP keeps its own send memory, IDs come from inet_id. */
    static SkbOwner tcp(Sock socket) {
        return new SkbOwner() {
            public int id() {
                return socket.id();
            }

            public int allocSendSkb() {
                return 0;
            }

            public void charge(int truesize) {}

            public int selectIdent(int segs) {
                return socket.nextInetId(segs, true);
            }

            public void localError(int errno, int info, Ipv4Address destination) {}
        };
    }

    /** An owner that only tags its skbs with {@code id} (a transport with its own send-memory accounting). */
    static SkbOwner tagOnly(int id) {
        return new SkbOwner() {
            public int id() {
                return id;
            }

            public int allocSendSkb() {
                return 0;
            }

            public void charge(int truesize) {}

            public void localError(int errno, int info, Ipv4Address destination) {}
        };
    }
}
