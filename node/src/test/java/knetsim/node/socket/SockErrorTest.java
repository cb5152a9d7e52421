package knetsim.node.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import knetsim.core.engine.Counters;
import knetsim.link.ethernet.MacAddress;
import knetsim.node.InetStack;
import knetsim.node.icmp.IcmpPacket;
import knetsim.node.inet.Config;
import knetsim.node.inet.Interface;
import knetsim.node.inet.StackOutput;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.neigh.NeighbourParameters;
import knetsim.node.udp.UdpSocket;
import org.junit.jupiter.api.Test;

/** sk_err and the error queue: what sets them, what clears them. */
class SockErrorTest {
    final InetStack stack = new InetStack(new Config(List.of(new Interface(1, "eth0",
            MacAddress.parse("02:00:00:00:00:01"), Ipv4Address.parse("10.0.0.1"), 24, 1500)), List.of(), false),
            NeighbourParameters.linuxDefaults(), new SplittableRandom(1), new StackOutput() {
                public void transmit(int ifindex, byte[] frame, int owner) {}

                public void wakeAt(long time) {}
            }, (socket, now) -> {}, new Counters());

    @Test
    void recvmsgErrqueueOnAnEmptyQueueLeavesSkErr() {
        // ip_recv_error(): nothing queued is EAGAIN and sk_err stays for the next call to report
        UdpSocket socket = new UdpSocket(1);
        socket.setPendingError(Errno.ECONNREFUSED);
        assertNull(socket.dequeueError());
        assertTrue(socket.hasPendingError());
        assertEquals(Errno.ECONNREFUSED, socket.takePendingError());
    }

    static byte[] quote() {
        byte[] quote = new byte[28];
        quote[0] = 0x45;
        quote[9] = 17;
        return quote;
    }

    @Test
    void fragmentationNeededIsAHardErrorOnAConnectedSocket() {
        // __udp4_lib_err()/ping_err(): ICMP_FRAG_NEEDED is EMSGSIZE and fatal unless IP_PMTUDISC_DONT
        UdpSocket socket = new UdpSocket(1);
        stack.icmp().deliverError(socket, true, quote(), 20, IcmpPacket.ICMP_DEST_UNREACH, IcmpPacket.ICMP_FRAG_NEEDED,
                1000, Ipv4Address.parse("10.0.0.254"), 0);
        assertEquals(Errno.EMSGSIZE, socket.takePendingError());
    }

    @Test
    void fragmentationNeededIsIgnoredWithPmtudiscDont() {
        UdpSocket socket = new UdpSocket(1);
        socket.setRecverr(true);
        socket.setPmtudisc(Sock.PMTUDISC_DONT);
        stack.icmp().deliverError(socket, true, quote(), 20, IcmpPacket.ICMP_DEST_UNREACH, IcmpPacket.ICMP_FRAG_NEEDED,
                1000, Ipv4Address.parse("10.0.0.254"), 0);
        assertFalse(socket.hasPendingError());
        assertFalse(socket.hasQueuedError(), "goto out: not queued either");
    }

    @Test
    void aDatagramDroppedByAnOutputRuleIsEperm() {
        // nf_hook_slow(): NF_DROP on a locally generated packet is -EPERM, and udp_sendmsg()/ping_v4_sendmsg()
        // return it ("sendmsg: Operation not permitted")
        for (var hook : List.of(knetsim.node.netfilter.Rule.Hook.LOCAL_OUT, knetsim.node.netfilter.Rule.Hook.POST_ROUTING)) {
            for (var target : List.of(knetsim.node.netfilter.Rule.Target.DROP, knetsim.node.netfilter.Rule.Target.REJECT)) {
                InetStack filtered = new InetStack(new Config(List.of(new Interface(1, "eth0",
                        MacAddress.parse("02:00:00:00:00:01"), Ipv4Address.parse("10.0.0.1"), 24, 1500)), List.of(), false,
                        List.of(knetsim.node.netfilter.Rule.on(hook, target))), NeighbourParameters.linuxDefaults(),
                        new SplittableRandom(1), new StackOutput() {
                            public void transmit(int ifindex, byte[] frame, int owner) {}

                            public void wakeAt(long time) {}
                        }, (socket, now) -> {}, new Counters());
                UdpSocket udp = (UdpSocket) filtered.openSocket(false);
                assertEquals(Errno.EPERM, filtered.udp().send(udp, Ipv4Address.parse("10.0.0.2"), 9, new byte[8], 0),
                        hook + " " + target);
                assertEquals(0, udp.wmemAlloc(), "nothing stays charged");
                var ping = (knetsim.node.icmp.PingSocket) filtered.openSocket(true);
                byte[] echo = new byte[IcmpPacket.HEADER_LEN];
                echo[0] = (byte) IcmpPacket.ICMP_ECHO;
                assertEquals(Errno.EPERM, filtered.icmp().sendEcho(ping, Ipv4Address.parse("10.0.0.2"), echo, 0),
                        hook + " " + target);
            }
        }
    }
}
