package knetsim.link.bridge;

import java.util.HashMap;

/**
 * The bridge's forwarding database (net/bridge/br_fdb.c): which port a source MAC was last seen
 * on, forgotten after {@code ageingTime} without traffic (Linux's bridge default is 300 s).
 * MACs are 48-bit values in a long ({@link knetsim.link.ethernet.MacAddress#bitsAt}), read straight from frame bytes.
 */
public final class ForwardingDatabase {
    public static final long DEFAULT_AGEING_TIME = 300_000_000_000L;

    private record Entry(int port, long lastSeen) {}

    private final long ageingTime;
    private final HashMap<Long, Entry> entries = new HashMap<>();

    public ForwardingDatabase(long ageingTime) {
        if (ageingTime <= 0) throw new IllegalArgumentException("ageing time must be positive, got " + ageingTime);
        this.ageingTime = ageingTime;
    }

    // br_fdb_update(): a frame from this source arrived on this port.
    public void learn(long mac, int port, long now) {
        entries.put(mac, new Entry(port, now));
    }

    // br_fdb_find_rcu() plus the ageing check of has_expired(): -1 when unknown or aged out.
    public int lookup(long mac, long now) {
        Entry e = entries.get(mac);
        if (e == null) return -1;
        if (now - e.lastSeen() >= ageingTime) {
            entries.remove(mac);
            return -1;
        }
        return e.port();
    }

    public int size() {
        return entries.size();
    }
}
