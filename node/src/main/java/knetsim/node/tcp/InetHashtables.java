package knetsim.node.tcp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import knetsim.node.ipv4.Ipv4Address;

/**
 * inet_hashtables.c: the established hash (4-tuple, TIME_WAIT included), the listening hash (local port)
 * and the bind hash (ports owned by bound sockets), and the ephemeral port choice of __inet_hash_connect().
 */
final class InetHashtables {
    /** ip_local_port_range. */
    static final int EPHEMERAL_LOW = 32768, EPHEMERAL_HIGH = 60999;

    private record Key(int laddr, int lport, int raddr, int rport) {}

    private final HashMap<Key, TcpSock> ehash = new HashMap<>();
    private final HashMap<Integer, List<TcpSock>> listeners = new HashMap<>();
    private final HashMap<Integer, List<TcpSock>> bhash = new HashMap<>();
    private final SplittableRandom random;

    InetHashtables(SplittableRandom random) {
        this.random = random;
    }

    // __inet_lookup_established()
    TcpSock lookupEstablished(int laddr, int lport, int raddr, int rport) {
        return ehash.get(new Key(laddr, lport, raddr, rport));
    }

    // __inet_lookup_listener(): an exact local address beats INADDR_ANY.
    TcpSock lookupListener(int laddr, int lport) {
        List<TcpSock> l = listeners.get(lport);
        if (l == null) return null;
        TcpSock any = null;
        for (TcpSock sk : l) {
            if (sk.saddr.bits() == laddr) return sk;
            if (sk.saddr.bits() == 0) any = sk;
        }
        return any;
    }

    // inet_ehash_nolisten(): the 4-tuple is taken; false when it is already.
    boolean hashEstablished(TcpSock sk) {
        Key k = key(sk);
        if (ehash.containsKey(k)) return false;
        ehash.put(k, sk);
        sk.hashed = true;
        return true;
    }

    // inet_unhash() for the established hash.
    void unhashEstablished(TcpSock sk) {
        if (!sk.hashed) return;
        ehash.remove(key(sk), sk);
        sk.hashed = false;
    }

    // inet_csk_listen_start() -> inet_hash()
    void hashListener(TcpSock sk) {
        listeners.computeIfAbsent(sk.sport, p -> new ArrayList<>(1)).add(sk);
    }

    void unhashListener(TcpSock sk) {
        List<TcpSock> l = listeners.get(sk.sport);
        if (l != null && l.remove(sk) && l.isEmpty()) listeners.remove(sk.sport);
    }

    // inet_csk_get_port() with a port: free unless a bound socket shares the address (no SO_REUSEADDR).
    boolean bind(TcpSock sk, Ipv4Address address, int port) {
        List<TcpSock> owners = bhash.get(port);
        if (owners != null) {
            for (TcpSock o : owners) {
                if (o.saddr.bits() == 0 || address.bits() == 0 || o.saddr.equals(address)) return false;
            }
        }
        sk.saddr = address;
        sk.sport = port;
        sk.bound = true;
        bhash.computeIfAbsent(port, p -> new ArrayList<>(1)).add(sk);
        return true;
    }

    // inet_put_port()
    void unbind(TcpSock sk) {
        if (!sk.bound) return;
        List<TcpSock> l = bhash.get(sk.sport);
        if (l != null && l.remove(sk) && l.isEmpty()) bhash.remove(sk.sport);
        sk.bound = false;
    }

    // inet_csk_get_port(sk, 0) for bind() and listen() without a port: a free ephemeral port, odd ones first.
    int bindEphemeral(TcpSock sk, Ipv4Address address) {
        return pick(sk, address, 1, null);
    }

    // __inet_hash_connect(): an ephemeral port whose 4-tuple is free, even ones first; the socket is hashed.
    int hashConnect(TcpSock sk) {
        return pick(sk, sk.saddr, 0, sk);
    }

    private int pick(TcpSock sk, Ipv4Address address, int parity, TcpSock connecting) {
        int range = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
        int offset = random.nextInt(range);
        for (int pass = 0; pass < 2; pass++) {
            int want = pass == 0 ? parity : 1 - parity;
            for (int i = 0; i < range; i++) {
                int port = EPHEMERAL_LOW + (offset + i) % range;
                if ((port & 1) != want || bhash.containsKey(port)) continue;
                if (!bind(sk, address, port)) continue;
                if (connecting != null && !hashEstablished(connecting)) {
                    unbind(sk);
                    continue;
                }
                return port;
            }
        }
        return -1;
    }

    Collection<TcpSock> established() {
        return ehash.values();
    }

    private static Key key(TcpSock sk) {
        return new Key(sk.saddr.bits(), sk.sport, sk.daddr.bits(), sk.dport);
    }
}
