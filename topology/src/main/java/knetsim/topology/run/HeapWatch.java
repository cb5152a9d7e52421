package knetsim.topology.run;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The most heap this JVM held right after a garbage collection since the last {@link #reset}: live data plus
 * whatever garbage the collector chose to keep, so the figure to hold against -Xmx. The sum of every pool's
 * peak (peakHeapMb) also counts an eden that was full of garbage, and grows with the heap the JVM is allowed.
 * One listener per JVM, registered at the first reset, so a run that fails leaves nothing registered behind.
 */
final class HeapWatch {
    private static final AtomicLong PEAK = new AtomicLong();
    private static boolean listening;

    private HeapWatch() {
    }

    /** Forgets the peak so far (and starts listening to the collectors, the first time). */
    static synchronized void reset() {
        PEAK.set(0);
        if (listening) return;
        listening = true;
        Set<String> heapPools = new HashSet<>();
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) heapPools.add(pool.getName());
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter e)) continue;
            e.addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = 0;
                for (var u : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(u.getKey())) used += u.getValue().getUsed();
                }
                PEAK.accumulateAndGet(used, Math::max);
            }, null, null);
        }
    }

    /** The peak since the last reset, in MiB; 0 when no collection ran. */
    static long peakMb() {
        return PEAK.get() >> 20;
    }
}
