package knetsim.node.neigh;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import knetsim.core.time.SimTime;
import knetsim.link.ethernet.MacAddress;
import knetsim.node.skb.SkbDropReason;

/**
 * One neighbour's NUD state machine as net/core/neighbour.c runs it, without actors or clocks: every call takes
 * the virtual time, returns the actions to perform in order, and leaves {@link #nextTimer()} for the owner to
 * schedule, so the same calls give the same result on any partition.
 *
 * @param <P> the owner's packet type, opaque here, so the entry does not depend on SkBuff
 */
public final class NeighbourEntry<P> {
    private final int address;
    private final NeighbourParameters parameters;
    private final long reachableTime;

    private NudState state = NudState.NONE;
    // the state last announced to listeners (neigh_update_notify()); only a change costs anything
    private NudState notified = NudState.NONE;
    private MacAddress hardwareAddress = MacAddress.ZERO;
    // the arp_queue with each skb's truesize, and their sum (neigh->arp_queue_len_bytes)
    private final ArrayDeque<Queued<P>> arpQueue = new ArrayDeque<>();
    private long arpQueueBytes;

    private record Queued<P>(P packet, int truesize) {}
    // neigh->probes: counts from ucast_solicit while INCOMPLETE, so arp_solicit() skips the unicast ones.
    private int probes;
    private long timer = SimTime.NEVER;
    // neigh->confirmed, ->updated, ->used; "long ago" so nothing looks recent before it happened.
    private long confirmed = Long.MIN_VALUE / 2;
    private long updated = Long.MIN_VALUE / 2;
    private long used = Long.MIN_VALUE / 2;

    /**
     * @param address       the neighbour's IPv4 address
     * @param reachableTime the device's drawn reachable_time ({@link NeighbourParameters#drawReachableTime})
     */
    public NeighbourEntry(int address, NeighbourParameters parameters, long reachableTime) {
        this.address = address;
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        if (reachableTime < 0) throw new IllegalArgumentException("reachable time " + reachableTime + " < 0");
        this.reachableTime = reachableTime;
    }

    /** An entry created at {@code now}: neigh_alloc() sets ->used and ->updated to the creation time. */
    public NeighbourEntry(int address, NeighbourParameters parameters, long reachableTime, long now) {
        this(address, parameters, reachableTime);
        this.used = now;
        this.updated = now;
    }

    /**
     * Sends {@code packet} to this neighbour at {@code now}: transmits it if the address is usable, otherwise
     * queues it and starts or continues resolution. The packet counts as one full Ethernet frame
     * ({@link NeighbourParameters#FULL_FRAME_TRUESIZE}) against unres_qlen_bytes.
     */
    public List<NeighbourAction<P>> resolve(P packet, long now) {
        return resolve(packet, NeighbourParameters.FULL_FRAME_TRUESIZE, now);
    }

    /**
     * __neigh_event_send()'s fast path: when the address is usable (connected, DELAY or PROBE) the entry is used at
     * {@code now} and the address returned, exactly as {@link #resolve} would transmit to it; else null and nothing
     * changed (then call {@code resolve}).
     */
    public MacAddress connectedAddress(long now) {
        if (!usable()) return null;
        used = now;
        return hardwareAddress;
    }

    // neigh->nud_state & NUD_CONNECTED, or DELAY/PROBE: the known address may be sent to at once
    private boolean usable() {
        return state.isConnected() || state == NudState.DELAY || state == NudState.PROBE;
    }

    /**
     * Sends {@code packet}, whose skb has {@code truesize}, to this neighbour at {@code now}: transmits it if the
     * address is usable, otherwise queues it and starts or continues resolution.
     */
    public List<NeighbourAction<P>> resolve(P packet, int truesize, long now) {
        // neigh_resolve_output() -> neigh_event_send() -> __neigh_event_send(), with immediate_ok as it calls it.
        Objects.requireNonNull(packet, "packet");
        List<NeighbourAction<P>> actions = new ArrayList<>();
        used = now;
        if (usable()) {
            actions.add(new NeighbourAction.Transmit<>(List.of(packet), hardwareAddress));
            return actions;
        }
        boolean immediateProbe = false;
        if (state != NudState.STALE && state != NudState.INCOMPLETE) {
            if (parameters.mcastSolicit() + parameters.appSolicit() == 0) {
                state = NudState.FAILED;
                updated = now;
                actions.add(new NeighbourAction.Drop<>(List.of(packet), SkbDropReason.NEIGH_FAILED));
                return actions;
            }
            probes = parameters.ucastSolicit();
            state = NudState.INCOMPLETE;
            updated = now;
            timer = now + Math.max(parameters.retransTime(), NeighbourParameters.MIN_TIMER);
            immediateProbe = true;
        } else if (state == NudState.STALE) {
            // The stale address is used at once; DELAY gives upper layers a chance to confirm it before probing.
            state = NudState.DELAY;
            updated = now;
            timer = now + parameters.delayFirstProbeTime();
            actions.add(new NeighbourAction.Transmit<>(List.of(packet), hardwareAddress));
            return actions;
        }
        // INCOMPLETE: the oldest packets make room until this one's truesize fits in unres_qlen_bytes, as Linux
        // frees the head of the arp_queue (unres_discards).
        List<P> discarded = new ArrayList<>();
        while (!arpQueue.isEmpty() && arpQueueBytes + truesize > parameters.unresQlenBytes()) {
            Queued<P> head = arpQueue.removeFirst();
            arpQueueBytes -= head.truesize();
            discarded.add(head.packet());
        }
        if (!discarded.isEmpty()) {
            actions.add(new NeighbourAction.Drop<>(discarded, SkbDropReason.NEIGH_QUEUEFULL));
        }
        arpQueue.addLast(new Queued<>(packet, truesize));
        arpQueueBytes += truesize;
        if (immediateProbe) probe(actions);
        return actions;
    }

    /**
     * Runs the timer that was due at {@link #nextTimer()}; a call before then (a timer the owner scheduled for an
     * earlier {@code nextTimer()}) does nothing, as the kernel's mod_timer() would have moved it.
     */
    public List<NeighbourAction<P>> timerExpired(long now) {
        // neigh_timer_handler()
        List<NeighbourAction<P>> actions = new ArrayList<>();
        if (now < timer || !state.inTimer()) return actions;
        timer = SimTime.NEVER;
        long retrans = Math.max(parameters.retransTime(), NeighbourParameters.MIN_TIMER);
        long next = now + SimTime.SECOND;
        // The kernel compares jiffies with time_before_eq(), so a timer firing on the very tick of expiry re-arms
        // once more; with exact nanoseconds a deadline that has arrived has passed, hence "<" here.
        if (state == NudState.REACHABLE) {
            if (now < confirmed + reachableTime) {
                next = confirmed + reachableTime;
            } else if (now < used + parameters.delayFirstProbeTime()) {
                state = NudState.DELAY;
                updated = now;
                next = now + parameters.delayFirstProbeTime();
            } else {
                state = NudState.STALE;
                updated = now;
            }
        } else if (state == NudState.DELAY) {
            if (now < confirmed + parameters.delayFirstProbeTime()) {
                state = NudState.REACHABLE;
                updated = now;
                next = confirmed + reachableTime;
            } else {
                state = NudState.PROBE;
                updated = now;
                probes = 0;
                next = now + retrans;
            }
        } else {
            next = now + retrans; // INCOMPLETE or PROBE
        }
        if ((state == NudState.INCOMPLETE || state == NudState.PROBE) && probes >= parameters.maxProbes(state)) {
            state = NudState.FAILED;
            invalidate(actions);
            return actions;
        }
        if (state.inTimer()) {
            timer = Math.max(next, now + NeighbourParameters.MIN_TIMER);
        }
        if (state == NudState.INCOMPLETE || state == NudState.PROBE) probe(actions);
        return actions;
    }

    /**
     * Learns {@code hardwareAddress} in state {@code newState} at {@code now}. Without {@code override}, a different
     * address for a valid entry is ignored; a STALE update with the address already known changes nothing.
     *
     * @param hardwareAddress the address learned, or null to keep the known one
     */
    public List<NeighbourAction<P>> update(MacAddress hardwareAddress, NudState newState, boolean override,
                                           long now) {
        // __neigh_update() without the admin and router flags.
        Objects.requireNonNull(newState, "newState");
        List<NeighbourAction<P>> actions = new ArrayList<>();
        NudState old = state;
        if (!newState.isValid()) {
            timer = SimTime.NEVER;
            state = newState;
            if ((old == NudState.INCOMPLETE || old == NudState.PROBE) && newState == NudState.FAILED) {
                invalidate(actions);
            }
            return actions;
        }
        MacAddress learned = hardwareAddress;
        if (learned == null) {
            if (!old.isValid()) return actions; // nothing known and nothing offered: -EINVAL
            learned = this.hardwareAddress;
        }
        if (newState.isConnected()) confirmed = now;
        boolean changesAddress = !(old.isValid() && learned.equals(this.hardwareAddress));
        NudState target = newState;
        if (old.isValid()) {
            if (changesAddress && !override) return actions;
            // A request from a neighbour we already know says nothing new: it must not demote REACHABLE.
            if (!changesAddress && newState == NudState.STALE) target = old;
        }
        if (target != old || changesAddress) updated = now;
        if (target != old) {
            timer = SimTime.NEVER;
            if (target == NudState.PROBE) probes = 0;
            if (target.inTimer()) timer = now + (target == NudState.REACHABLE ? reachableTime : 0);
            state = target;
        }
        if (changesAddress) {
            this.hardwareAddress = learned;
            // An address nobody confirmed must not look confirmed by an older reply to the previous address.
            if (!target.isConnected()) confirmed = now - 2 * parameters.baseReachableTime();
        }
        if (target != old && !old.isValid() && !arpQueue.isEmpty()) {
            actions.add(new NeighbourAction.Transmit<>(takeQueue(), this.hardwareAddress));
        }
        return actions;
    }

    /** An ARP reply from the neighbour, sent to us: reachable, but a new address only after locktime. */
    public List<NeighbourAction<P>> replyReceived(MacAddress sender, long now) {
        // arp_process(): "if several different ARP replies follow back-to-back, use the FIRST one".
        boolean override = now > updated + parameters.locktime();
        return update(sender, NudState.REACHABLE, override, now);
    }

    /** An ARP request from the neighbour for one of our addresses: its sender address is learned as STALE. */
    public List<NeighbourAction<P>> requestReceived(MacAddress sender, long now) {
        // arp_process() -> neigh_event_ns() -> neigh_update(NUD_STALE, NEIGH_UPDATE_F_OVERRIDE)
        return update(sender, NudState.STALE, true, now);
    }

    /** An upper layer saw the neighbour answer (a TCP ACK moving forward): the address still works. */
    public void confirm(long now) {
        // neigh_confirm() via dst_confirm_neigh(): only the timestamp; the timer handler acts on it.
        confirmed = now;
    }

    /**
     * neigh_periodic_work()'s test: an entry not in a timer state (not INCOMPLETE, REACHABLE, DELAY
     * or PROBE) goes when it FAILED or was last used (or confirmed) gc_stale_time ago or more.
     */
    public boolean collectable(long now, long gcStaleTime) {
        if (state == NudState.INCOMPLETE || state == NudState.REACHABLE || state == NudState.DELAY
                || state == NudState.PROBE || !arpQueue.isEmpty()) return false;
        long lastUsed = Math.max(used, confirmed);
        return state == NudState.FAILED || now - lastUsed >= gcStaleTime;
    }

    public int address() {
        return address;
    }

    /**
     * neigh_update_notify(): the state this entry was in when its last change was announced, if it changed since
     * (then the change counts as announced), else null. One field comparison: the owner may ask after every call.
     */
    public NudState takeNotification() {
        if (state == notified) return null;
        NudState before = notified;
        notified = state;
        return before;
    }

    public NudState state() {
        return state;
    }

    /** The neighbour's Ethernet address, or {@link MacAddress#ZERO} while none is known. */
    public MacAddress hardwareAddress() {
        return hardwareAddress;
    }

    /** When the owner must call {@link #timerExpired}, or {@link SimTime#NEVER} when no timer runs. */
    public long nextTimer() {
        return timer;
    }

    public long reachableTime() {
        return reachableTime;
    }

    /** Packets waiting in the arp_queue. */
    public int queueLength() {
        return arpQueue.size();
    }

    /** neigh->arp_queue_len_bytes: the truesize of the packets waiting in the arp_queue. */
    public long queueBytes() {
        return arpQueueBytes;
    }

    // the whole arp_queue, in order, leaving it empty
    private List<P> takeQueue() {
        List<P> packets = new ArrayList<>(arpQueue.size());
        for (Queued<P> q : arpQueue) packets.add(q.packet());
        arpQueue.clear();
        arpQueueBytes = 0;
        return packets;
    }

    /** neigh->probes: requests sent in this round, counted from ucast_solicit while INCOMPLETE. */
    public int probes() {
        return probes;
    }

    @Override
    public String toString() {
        // Like `ip neigh`: 10.0.2.2 lladdr 02:00:5e:10:00:02 REACHABLE
        String lladdr = state.isValid() ? " lladdr " + hardwareAddress : "";
        return ArpMessage.dottedQuad(address) + lladdr + " " + state;
    }

    private void probe(List<NeighbourAction<P>> actions) {
        // neigh_probe() -> arp_solicit(): the first ucast_solicit probes go to the known address, the next
        // app_solicit to arpd (none here), the rest are broadcast.
        int remaining = probes - parameters.ucastSolicit();
        if (remaining < 0) {
            actions.add(new NeighbourAction.SendRequest<>(false, hardwareAddress));
        } else if (remaining - parameters.appSolicit() >= 0) {
            actions.add(new NeighbourAction.SendRequest<>(true, MacAddress.BROADCAST));
        }
        probes++;
    }

    private void invalidate(List<NeighbourAction<P>> actions) {
        // neigh_invalidate(): every queued packet gets error_report (ICMP host unreachable) and is freed.
        timer = SimTime.NEVER;
        if (!arpQueue.isEmpty()) {
            actions.add(new NeighbourAction.Drop<>(takeQueue(), SkbDropReason.NEIGH_FAILED));
        }
    }
}
