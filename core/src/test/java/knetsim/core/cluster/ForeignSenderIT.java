package knetsim.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.run.MemberAgent;
import knetsim.core.run.RunCoordinator;
import knetsim.core.run.RunResult;
import knetsim.core.run.SenderCheck;
import knetsim.core.selftest.SelftestScenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process outside a run sends the launcher a Kryo-encoded PartitionFailed, as the probe of issue 13 did
 * (it ended the run): over plain TCP the sender check refuses it, over TLS a process without the run's key
 * cannot even connect, and the run completes with the sequential digest either way. The member is started
 * by hand, after the intrusion has been dealt with, so the refusal is seen before the run can end.
 */
class ForeignSenderIT {
    static final SelftestScenario SCENARIO = SelftestScenario.withEvents(40, 20_000, 5);

    @TempDir
    Path dir;

    private final List<ActorSystem<?>> systems = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        for (ActorSystem<?> s : systems) s.terminate();
        for (ActorSystem<?> s : systems) {
            try {
                s.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the test's own outcome is what matters
            }
        }
    }

    @Test
    void overPlainTcpAControlMessageFromOutsideTheRunIsRefusedAndTheRunCompletes() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            CompletableFuture<String> where = new CompletableFuture<>();
            ClusterRun.RunHandle run = listen(ClusterRun.Remoting.PLAIN, where);
            String at = where.get(30, TimeUnit.SECONDS);
            ActorSystem<Void> intruder = system(ConfigFactory.empty());
            ActorRef<RunCoordinator.Command> launcher = launcherAt(intruder, at);
            // the probe's message, once with no sender and once signed with the intruder's own address
            launcher.tell(new RunCoordinator.PartitionFailed(1, "injected (no sender)"));
            SenderCheck.tell(launcher, new RunCoordinator.PartitionFailed(1, "injected (own sender)"), intruder);
            awaitAtLeast(2, run::refusedMessages);
            startMember(at, ConfigFactory.empty());
            RunResult result = run.await();
            assertEquals(SequentialEngine.run(SCENARIO).digest(), result.digest());
            assertEquals(2, run.refusedMessages());
        });
    }

    @Test
    void overTlsAProcessWithAnotherKeyCannotConnectAndTheRunCompletes() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            Path secret = dir.resolve("run.pem");
            RunKey key = RunKey.generate();
            key.write(secret);
            Path other = dir.resolve("other.pem");
            RunKey otherKey = RunKey.generate();
            otherKey.write(other);
            CompletableFuture<String> where = new CompletableFuture<>();
            ClusterRun.RunHandle run = listen(ClusterRun.Remoting.secret(secret), where);
            String at = where.get(30, TimeUnit.SECONDS);
            String host = at.substring(0, at.lastIndexOf(':'));
            int port = Integer.parseInt(at.substring(at.lastIndexOf(':') + 1));

            // the launcher demands the run's certificate: another key, or none, fails the handshake (the launcher
            // refuses it and drops the connection: an SSLException or a broken pipe) ...
            assertThrows(IOException.class, () -> handshake(host, port, otherKey.keyManagers()));
            assertThrows(IOException.class, () -> handshake(host, port, null));
            // ... which the run's own key passes, so the port does speak TLS
            handshake(host, port, key.keyManagers());

            // Artery with the other key sends the probe's message: it never arrives
            ActorSystem<Void> outsider = system(AkkaConfig.tls(other));
            launcherAt(outsider, at).tell(new RunCoordinator.PartitionFailed(1, "injected with another key"));
            // one that holds the key but was never admitted gets through TLS and is refused by the sender check
            ActorSystem<Void> holder = system(AkkaConfig.tls(secret));
            SenderCheck.tell(launcherAt(holder, at), new RunCoordinator.PartitionFailed(1, "injected with the key"),
                    holder);
            awaitAtLeast(1, run::refusedMessages);

            startMember(at, AkkaConfig.tls(secret));
            RunResult result = run.await();
            assertEquals(SequentialEngine.run(SCENARIO).digest(), result.digest());
            assertEquals(1, run.refusedMessages(), "only the key holder's message may have reached the launcher");
        });
    }

    private ClusterRun.RunHandle listen(ClusterRun.Remoting remoting, CompletableFuture<String> where) {
        return ClusterRun.start(SCENARIO, new ClusterRun.Options(2, 2)
                .withSetupTimeout(Duration.ofSeconds(60))
                .withRemoting(remoting)
                .withExternalMembers(new ClusterRun.ExternalMembers(1, "127.0.0.1", 0, where::complete)));
    }

    private void startMember(String at, Config overrides) {
        systems.add(MemberMain.start(new MemberMain.Settings(MemberAgent.ANY_PARTITION, "member", MemberMain.parseAddress(at),
                null, "127.0.0.1", 0, Duration.ofSeconds(60), overrides, line -> {})).system());
    }

    /** A process outside the run: an ActorSystem of the same name and serializers that joins nothing. */
    private ActorSystem<Void> system(Config overrides) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), AkkaConfig.SYSTEM_NAME,
                AkkaConfig.clustered("127.0.0.1", 0, overrides));
        systems.add(system);
        return system;
    }

    private static ActorRef<RunCoordinator.Command> launcherAt(ActorSystem<?> from, String at) {
        return ActorRefResolver.get(from).resolveActorRef("akka://" + AkkaConfig.SYSTEM_NAME + "@" + at + "/user");
    }

    private static void awaitAtLeast(long count, LongSupplier value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (value.getAsLong() < count) {
            if (System.nanoTime() > deadline) throw new AssertionError("only " + value.getAsLong() + " of " + count + " refused");
            Thread.sleep(50);
        }
    }

    /** A TLS handshake with {@code keys} (null: no certificate) that trusts whatever the server presents. */
    private static void handshake(String host, int port, KeyManager[] keys) throws Exception {
        TrustManager anything = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = RunKey.sslContext(keys, new TrustManager[] {anything});
        try (Socket plain = new Socket(host, port);
             SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
            tls.setSoTimeout(10_000);
            tls.setEnabledProtocols(new String[] {"TLSv1.2"});
            tls.startHandshake();
        }
    }
}
