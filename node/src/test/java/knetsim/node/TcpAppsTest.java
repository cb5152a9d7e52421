package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import knetsim.core.engine.SequentialEngine;
import knetsim.node.app.TcpBulk;
import knetsim.node.app.TcpFlowReport;
import knetsim.node.app.TcpRr;
import knetsim.node.app.TcpSink;
import knetsim.node.app.TcpSinkReport;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;
import org.junit.jupiter.api.Test;

/** TCP end to end between two hosts of a LAN: the system calls through proto_ops, and the apps. */
class TcpAppsTest {
    static final Syscall TCP = new Syscall.Socket(Syscall.Protocol.TCP);

    @Test
    void aBlockingSendLargerThanTheSendBufferResumesWhereItStoppedAndEveryByteArrives() {
        // sk_stream_wait_memory(): a 3 MB write() sleeps whenever sk_sndbuf is full and returns 3 MB at the end
        byte[] data = new byte[3_000_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + 7);
        Script client = new Script(TCP, new Syscall.Connect(3, TestNet.IP_B, 5001),
                new Syscall.SendTo(3, null, 0, data, false), new Syscall.Shutdown(3, 1), new Syscall.Recv(3, 100, false),
                new Syscall.Close(3));
        Script server = new Script(TCP, new Syscall.Bind(3, Ipv4Address.ANY, 5001), new Syscall.Listen(3, 16),
                new Syscall.Accept(3, false));
        Reader reader = new Reader(server);
        TestNet net = TestNet.lan().a(client).b(reader).build();
        SequentialEngine.run(net);
        assertEquals(Script.ok(0), client.result(1), "a blocking connect() returns once established");
        assertEquals(Script.ok(data.length), client.result(2), "the blocked write kept its progress: all of it");
        assertTrue(client.get(2).returnedAt() - client.get(2).calledAt() > 1_000_000,
                "it slept on the send buffer (3 MB cannot be queued at once)");
        assertEquals(Script.ok(0), client.result(3));
        assertEquals(new SyscallResult.Read(new byte[0]).data().length,
                ((SyscallResult.Read) client.result(4)).data().length, "the server's FIN: end of stream");
        SyscallResult.Accepted accepted = (SyscallResult.Accepted) server.result(3);
        assertEquals(TestNet.IP_A, accepted.address(), "accept() gives the peer's address");
        assertArrayEquals(data, reader.received(), "every byte, in order");
    }

    @Test
    void aNonBlockingConnectIsInProgressThenSoErrorTellsTheOutcome() {
        Script client = new Script(TCP, new Syscall.SetNonBlocking(3, true), new Syscall.Connect(3, TestNet.IP_B, 9),
                new Script.At(1_000_000_000L), new Syscall.GetSockOpt(3, Syscall.Option.SO_ERROR),
                new Syscall.Connect(3, TestNet.IP_B, 9));
        SequentialEngine.run(TestNet.lan().a(client).build());
        assertEquals(Script.failed(Errno.EINPROGRESS), client.result(2));
        // tcp_reset() in SYN_SENT: the RST of the closed port is ECONNREFUSED, read once through SO_ERROR
        assertEquals(Script.ok(Errno.ECONNREFUSED), client.result(3));
    }

    @Test
    void bulkToASinkFinishesWithEveryByteReadAndTheSinkSeesThePeer() {
        TcpBulk bulk = new TcpBulk(new TcpBulk.Options("f1", TestNet.IP_B, 5201, 2_000_000, 0, "reno", false, 131_072, 0,
                0, 10_000_000));
        TcpSink sink = new TcpSink(new TcpSink.Options(5201, 0, 131_072, 0, 0, 0, 0));
        TestNet net = TestNet.lan().a(bulk).b(sink).build();
        SequentialEngine.run(net);
        TcpFlowReport flow = bulk.report(0).get(0);
        List<TcpSinkReport> sinks = sink.report(0);
        assertTrue(flow.finished(), "finished: " + flow.error());
        assertEquals(2_000_000, flow.bytes());
        // tcp_snd_una_update() counts acked sequence space: the SYN and the FIN are one byte each (ss shows bytes_acked:1
        // on a fresh connection)
        assertEquals(2_000_000 + 2, flow.bytesAcked(), "TCP_INFO bytes_acked at the end");
        assertEquals("reno", flow.cc(), "TCP_CONGESTION took");
        assertEquals(1, sinks.size());
        assertEquals(2_000_000, sinks.get(0).bytes());
        assertTrue(sinks.get(0).eof());
        assertEquals(flow.source(), sinks.get(0).peer(), "getsockname() of the client is getpeername() of the child");
        assertTrue(flow.sampleTimesNs().length > 2, "TCP_INFO sampled while sending");
        assertTrue(flow.maxCwnd() > 10, "slow start grew the window from IW 10: " + flow.maxCwnd());
    }

    @Test
    void requestResponseAndShortFlowsRecordEveryTransaction() {
        TcpRr rr = new TcpRr(new TcpRr.Options("rr", TestNet.IP_B, 7000, 100, 2000, 20, 0, Long.MAX_VALUE, false, null, true));
        TcpRr crr = new TcpRr(new TcpRr.Options("crr", TestNet.IP_B, 7001, 100, 2000, 5, 0, Long.MAX_VALUE, true, null, false));
        TcpSink server = new TcpSink(new TcpSink.Options(7000, 0, 65_536, 0, 100, 2000, 0));
        TcpSink server2 = new TcpSink(new TcpSink.Options(7001, 0, 65_536, 0, 100, 2000, 0));
        SequentialEngine.run(TestNet.lan().a(rr, crr).b(server, server2).build());
        TcpFlowReport r = rr.report(0).get(0), c = crr.report(0).get(0);
        assertTrue(r.finished() && c.finished(), r.error() + " " + c.error());
        assertEquals(20, r.transactionsNs().length);
        assertEquals(5, c.transactionsNs().length);
        long rtt = 2 * TestNet.LATENCY;
        for (long t : r.transactionsNs()) assertTrue(t >= rtt, "a transaction takes at least one RTT: " + t);
        for (long t : c.transactionsNs()) assertTrue(t >= 2 * rtt, "a new connection adds the handshake's RTT: " + t);
        assertEquals(5, server2.report(0).size(), "one connection per request");
    }

    /** After the server script's accept(), reads the accepted fd to the end, then closes it. */
    static final class Reader implements knetsim.node.process.Application {
        private final Script script;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        Reader(Script script) {
            this.script = script;
        }

        @Override
        public void start(knetsim.node.process.ProcessContext context) {
            script.start(new knetsim.node.process.ProcessContext() {
                public long now() {
                    return context.now();
                }

                public void call(Syscall call, java.util.function.Consumer<SyscallResult> then) {
                    context.call(call, r -> {
                        then.accept(r);
                        if (r instanceof SyscallResult.Accepted a) read(context, a.fd());
                    });
                }

                public void sleep(long ns, Runnable then) {
                    context.sleep(ns, then);
                }

                public java.util.SplittableRandom random() {
                    return context.random();
                }

                public String name() {
                    return context.name();
                }
            });
        }

        private void read(knetsim.node.process.ProcessContext context, int fd) {
            context.call(new Syscall.Recv(fd, 100_000, false), r -> {
                byte[] d = ((SyscallResult.Read) r).data();
                if (d.length == 0) {
                    context.call(new Syscall.Close(fd), c -> {});
                    return;
                }
                bytes.writeBytes(d);
                read(context, fd);
            });
        }

        byte[] received() {
            return bytes.toByteArray();
        }
    }
}
