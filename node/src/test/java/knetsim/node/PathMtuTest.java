package knetsim.node;

import static knetsim.node.RouterTest.B;
import static knetsim.node.RouterTest.R0;
import static knetsim.node.RouterTest.R1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.PmtuCache;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path MTU discovery across RouterTest's A - R - B, with R's link to B at MTU 1000. */
class PathMtuTest {
    @TempDir
    Path dir;

    @Test
    void fragmentationNeededLowersThePathMtuAndTheNextWantDatagramIsFragmentedLocally() throws Exception {
        // a 1400-byte datagram (1428 bytes of IP) with DF meets R's 1000-byte link to B
        Script a = new Script(new Syscall.Socket(Syscall.Protocol.UDP), new Syscall.SendTo(3, B, 5001, RouterTest.text(1400), false),
                new Script.At(10 * SimTime.MILLISECOND), new Syscall.SendTo(3, B, 5001, RouterTest.text(1400), false));
        Script b = new Script(new Syscall.Socket(Syscall.Protocol.UDP), new Syscall.Bind(3, Ipv4Address.ANY, 5001),
                new Syscall.RecvFrom(3, false));
        TestNet n = RouterTest.build(List.of(a), List.of(b), List.of(), 1000, false, List.of());
        SequentialEngine.Result run = SequentialEngine.run(n);
        assertEquals(Script.ok(1400), a.result(1));
        assertEquals(Script.ok(1400), a.result(2), "an unconnected socket without IP_RECVERR hears nothing");
        Host r = n.host("r");
        assertEquals(1, r.counters().get("IpFragFails"), "the first, with DF, stopped at R");
        assertEquals(1, r.counters().get("IcmpOutDestUnreachs"));
        Host hostA = n.host("a");
        // __ip_rt_update_pmtu(): an exception for B only, for ip_rt_mtu_expires
        assertEquals(1000, hostA.stack().pathMtu(B, 10 * SimTime.MILLISECOND));
        assertEquals(0, hostA.stack().pathMtu(R1, 10 * SimTime.MILLISECOND));
        assertEquals(0, hostA.stack().pathMtu(B, 10 * SimTime.MILLISECOND + PmtuCache.IP_RT_MTU_EXPIRES));
        List<byte[]> sent = RouterTest.udpFrames(run, "a.eth0", "02:00:00:00:01:02");
        assertEquals(List.of(1442, 1010, 466), sent.stream().map(f -> f.length).toList(),
                "whole with DF, then 976 + 432 bytes (multiples of 8) in two fragments");
        assertEquals(0x40, sent.get(0)[20] & 0x40, "the first: DF");
        assertEquals(0, sent.get(1)[20] & 0x40, "fragments without DF");
        var got = (SyscallResult.Received) b.result(2);
        assertEquals(1400, got.data().length, "reassembled at B");
        Tshark.check(run, "a.eth0", dir);
        Tshark.check(run, "b.eth0", dir);
    }

    @Test
    void withPmtudiscDoTheLearnedPathMtuMakesTheNextSendEmsgsize() {
        Script a = new Script(new Syscall.Socket(Syscall.Protocol.UDP),
                new Syscall.SetSockOpt(3, Syscall.Option.IP_MTU_DISCOVER, 2), new Syscall.SendTo(3, B, 5001, RouterTest.text(1400), false),
                new Script.At(10 * SimTime.MILLISECOND), new Syscall.SendTo(3, B, 5001, RouterTest.text(1400), false),
                new Syscall.SendTo(3, B, 5001, RouterTest.text(972), false));
        TestNet n = RouterTest.build(List.of(a), List.of(), List.of(), 1000, false, List.of());
        SequentialEngine.run(n);
        assertEquals(Script.ok(1400), a.result(2));
        assertEquals(Script.failed(Errno.EMSGSIZE), a.result(3));
        assertEquals(Script.ok(972), a.result(4), "1000 bytes of IP fit the path");
    }

    @Test
    void pingWithDontFragmentReportsTheRoutersMtuThenALocalError() throws Exception {
        // ping -M do -s 1372 -c 2: 1400 bytes of IP; iputils' wording for both errors
        TestNet n = RouterTest.build(List.of(PingTest.ping(B, 2, SimTime.SECOND, 1372, 64, true, 2 * SimTime.SECOND)), List.of(), List.of(),
                1000, false, List.of());
        SequentialEngine.Result run = SequentialEngine.run(n);
        List<String> lines = RouterTest.pingOf(n, "a").lines();
        assertEquals("From " + R0 + " icmp_seq=1 Frag needed and DF set (mtu = 1000)", lines.get(1), lines.toString());
        // iputils 2024x: EMSGSIZE from sendto() is its own error, printed as sendmsg's
        assertEquals("ping: sendmsg: Message too long", lines.get(2), lines.toString());
        assertEquals("2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1000ms", lines.get(5));
        Tshark.check(run, "a.eth0", dir);
    }

}
