package knetsim.node.nic;

import knetsim.core.time.SimTime;

/**
 * Byte queue limits (lib/dynamic_queue_limits.c, struct dql): how many bytes a tx queue may have posted to the
 * hardware and not yet seen completed. The limit starts at limit_min (0), grows when the queue starved (everything
 * queued was completed while the stack was held back) and shrinks by the smallest "slack" seen over a hold time
 * (1 s, dql_init(&q->dql, HZ)), so the ring holds just enough bytes to keep the wire busy between two completion
 * runs and the backlog waits in the qdisc, where an AQM can see it.
 *
 * <p>Plain object: {@link NicTxQueue} calls {@link #queued} from its start_xmit (netdev_tx_sent_queue) and
 * {@link #completed} from its tx clean (netdev_tx_completed_queue). The kernel's counters are unsigned ints that
 * wrap; these are longs, so the wrap-around comparisons (POSDIFF, AFTER_EQ) become plain ones. The stall detector
 * (stall_thrs, off by default) is not modelled. The sysfs files of
 * /sys/class/net/DEV/queues/tx-0/byte_queue_limits map to {@link #limit}, {@link #inflight}, {@link #limitMin},
 * {@link #limitMax} and {@link #holdTime}.
 */
public final class DynamicQueueLimits {
    /** DQL_MAX_OBJECT: UINT_MAX / 16, the most one dql_queued() may add. */
    public static final long DQL_MAX_OBJECT = 0xffff_ffffL / 16;
    /** DQL_MAX_LIMIT: UINT_MAX / 2 - DQL_MAX_OBJECT, the default limit_max. */
    public static final long DQL_MAX_LIMIT = 0xffff_ffffL / 2 - DQL_MAX_OBJECT;
    /** The slack hold time netdev_init_one_queue() gives: HZ jiffies, one second. */
    public static final long DEFAULT_HOLD_TIME = SimTime.SECOND;

    // enqueue path
    private long numQueued;
    private long adjLimit;
    private long lastObjCnt;
    // completion path
    private long limit;
    private long numCompleted;
    private long prevOvlimit;
    private long prevNumQueued;
    private long prevLastObjCnt;
    private long lowestSlack;
    private long slackStartTime;
    // configuration
    private final long limitMin;
    private final long limitMax;
    private final long holdTime;

    /** dql_init() with the kernel's defaults: limit_min 0, limit_max DQL_MAX_LIMIT, hold time 1 s. */
    public DynamicQueueLimits() {
        this(0, DQL_MAX_LIMIT, DEFAULT_HOLD_TIME);
    }

    /** dql_init() then the sysfs writes of limit_min, limit_max and hold_time (ns here, ms in sysfs). */
    public DynamicQueueLimits(long limitMin, long limitMax, long holdTime) {
        if (limitMin < 0 || limitMax < limitMin || limitMax > DQL_MAX_LIMIT) {
            throw new IllegalArgumentException("bql: need 0 <= limit_min <= limit_max <= " + DQL_MAX_LIMIT
                    + ", got " + limitMin + " and " + limitMax);
        }
        if (holdTime <= 0) throw new IllegalArgumentException("bql: hold_time must be > 0, got " + holdTime);
        this.limitMin = limitMin;
        this.limitMax = limitMax;
        this.holdTime = holdTime;
        reset(0);
    }

    // dql_reset(): the limit restarts at limit_min ("dql: Fix dql->limit value when reset").
    public void reset(long now) {
        limit = limitMin;
        numQueued = 0;
        numCompleted = 0;
        lastObjCnt = 0;
        prevNumQueued = 0;
        prevLastObjCnt = 0;
        prevOvlimit = 0;
        lowestSlack = Long.MAX_VALUE;
        slackStartTime = now;
        adjLimit = limit;
    }

    // dql_queued(): the driver posted count bytes; the caller checked dql_avail() first.
    public void queued(long count) {
        if (count < 0 || count > DQL_MAX_OBJECT) throw new IllegalArgumentException("dql_queued: bad count " + count);
        lastObjCnt = count;
        numQueued += count;
    }

    // dql_avail(): bytes that may still be queued; negative when over the limit.
    public long avail() {
        return adjLimit - numQueued;
    }

    // dql_completed(): count bytes completed; recompute the limit.
    public void completed(long count, long now) {
        if (count < 0 || count > numQueued - numCompleted) {
            throw new IllegalStateException("dql_completed: " + count + " bytes but only "
                    + (numQueued - numCompleted) + " in flight"); // the kernel's BUG_ON
        }
        long completed = numCompleted + count;
        long newLimit = limit;
        long ovlimit = posdiff(numQueued - numCompleted, newLimit);
        long inprogress = numQueued - completed;
        long prevInprogress = prevNumQueued - numCompleted;
        boolean allPrevCompleted = completed >= prevNumQueued;

        if ((ovlimit > 0 && inprogress == 0) || (prevOvlimit > 0 && allPrevCompleted)) {
            // Starved: over the limit and now empty, or everything queued by the last run is done. Grow by what was
            // queued and completed since then plus the previous over-limit.
            newLimit += posdiff(completed, prevNumQueued) + prevOvlimit;
            slackStartTime = now;
            lowestSlack = Long.MAX_VALUE;
        } else if (inprogress > 0 && prevInprogress > 0 && !allPrevCompleted) {
            // Busy the whole interval: the excess over twice what completed is slack; drop the lowest slack seen
            // over a hold time.
            long slack = posdiff(newLimit + prevOvlimit, 2 * (completed - numCompleted));
            long slackLastObjs = prevOvlimit > 0 ? posdiff(prevLastObjCnt, prevOvlimit) : 0;
            slack = Math.max(slack, slackLastObjs);
            if (slack < lowestSlack) lowestSlack = slack;
            if (now > slackStartTime + holdTime) { // time_after(jiffies, slack_start_time + slack_hold_time)
                newLimit = posdiff(newLimit, lowestSlack);
                slackStartTime = now;
                lowestSlack = Long.MAX_VALUE;
            }
        }
        newLimit = Math.max(limitMin, Math.min(limitMax, newLimit));
        if (newLimit != limit) {
            limit = newLimit;
            ovlimit = 0;
        }
        adjLimit = newLimit + completed;
        prevOvlimit = ovlimit;
        prevLastObjCnt = lastObjCnt;
        numCompleted = completed;
        prevNumQueued = numQueued;
    }

    private static long posdiff(long a, long b) {
        return a > b ? a - b : 0;
    }

    /** byte_queue_limits/limit: the current limit in bytes. */
    public long limit() {
        return limit;
    }

    /** byte_queue_limits/inflight: bytes posted and not yet completed (num_queued - num_completed). */
    public long inflight() {
        return numQueued - numCompleted;
    }

    /** byte_queue_limits/limit_min. */
    public long limitMin() {
        return limitMin;
    }

    /** byte_queue_limits/limit_max. */
    public long limitMax() {
        return limitMax;
    }

    /** byte_queue_limits/hold_time, in ns. */
    public long holdTime() {
        return holdTime;
    }
}
