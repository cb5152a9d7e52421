package knetsim.node.inet;

import java.util.Arrays;
import java.util.List;
import knetsim.node.dev.Loopback;
import knetsim.node.ipv4.Ipv4Address;

/**
 * A host's interfaces indexed for the per-packet questions of the receive and output paths: the device of an
 * ifindex (dev_get_by_index(), an array slot instead of a search) and whether an address is one of the interfaces'
 * (inet_lookup_ifaddr_rcu() over the inet_addr_lst hash; here a sorted array). Built once from the host's
 * {@link Config}, whose interfaces never change; answers exactly as {@link Config#device} and {@link Config#isLocal}.
 */
public final class InetAddrList {
    private final Config config;
    // by ifindex, null where none (empty when the ifindexes are too sparse for an array: then Config answers)
    private final Interface[] byIfindex;
    private final int[] local; // the interfaces' addresses, sorted

    public InetAddrList(Config config) {
        this.config = config;
        List<Interface> interfaces = config.interfaces();
        int max = 0;
        for (Interface i : interfaces) max = Math.max(max, i.ifindex());
        Interface[] slots = new Interface[max < 4 * interfaces.size() + 16 ? max + 1 : 0];
        if (slots.length > 0) {
            // the first interface of an ifindex, as Config#device's search finds it
            for (int k = interfaces.size() - 1; k >= 0; k--) {
                Interface i = interfaces.get(k);
                if (i.ifindex() >= 0) slots[i.ifindex()] = i;
            }
        }
        byIfindex = slots;
        local = new int[interfaces.size()];
        for (int k = 0; k < local.length; k++) local[k] = interfaces.get(k).address().bits();
        Arrays.sort(local);
    }

    /** The configuration this indexes. */
    public Config config() {
        return config;
    }

    // dev_get_by_index(): the interface with {@code ifindex} (lo's too)
    public Interface device(int ifindex) {
        if (ifindex >= 0 && ifindex < byIfindex.length) {
            Interface i = byIfindex[ifindex];
            if (i != null) return i;
        }
        return config.device(ifindex); // lo, or none: its error
    }

    // inet_lookup_ifaddr_rcu(): whether {@code address} is one of the interfaces' addresses (not lo's 127.0.0.0/8)
    public boolean isLocal(Ipv4Address address) {
        int bits = address.bits();
        if (local.length == 1) return local[0] == bits;
        return Arrays.binarySearch(local, bits) >= 0;
    }

    // inet_addr_type(): 0.0.0.0, a local address, a broadcast one (limited or an interface's
    // subnet) or multicast may be bound; anything else is EADDRNOTAVAIL (ip_nonlocal_bind 0).
    public boolean bindable(Ipv4Address address) {
        int bits = address.bits();
        if (bits == 0 || bits == -1 || (bits >>> 28) == 0xe || isLocal(address) || Loopback.isLoopback(address)) return true;
        for (Interface i : config.interfaces()) {
            int host = i.prefixLength() >= 31 ? 0 : -1 >>> i.prefixLength();
            if (host != 0 && ((i.address().bits() | host) == bits)) return true;
        }
        return false;
    }
}
