package knetsim.core.cluster;

import akka.actor.ActorSystem;
import akka.remote.artery.tcp.SSLEngineProvider;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import scala.Option;

/**
 * Artery's TLS for a run ({@code akka.remote.artery.transport = tls-tcp}): every connection, in both
 * directions, is mutually authenticated with the run's key ({@link RunKey}), read from the file named by
 * {@value #SECRET_FILE}. A peer without the key fails the handshake and never reaches an actor.
 */
public final class RunKeyEngineProvider implements SSLEngineProvider {
    /** The config key naming the run's secret file; forked members get it as a -D property. */
    public static final String SECRET_FILE = "knetsim.secret-file";
    private static final String[] PROTOCOLS = {"TLSv1.2"};
    private static final String[] SUITES = {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"};

    private final SSLContext context;

    /** Called by Artery with the system it serves (akka.remote.artery.ssl.ssl-engine-provider). */
    public RunKeyEngineProvider(ActorSystem system) {
        this(RunKey.read(Path.of(system.settings().config().getString(SECRET_FILE))).sslContext());
    }

    public RunKeyEngineProvider(SSLContext context) {
        this.context = context;
    }

    @Override
    public SSLEngine createServerSSLEngine(String hostname, int port) {
        SSLEngine engine = configure(context.createSSLEngine(hostname, port));
        engine.setUseClientMode(false);
        engine.setNeedClientAuth(true);
        return engine;
    }

    @Override
    public SSLEngine createClientSSLEngine(String hostname, int port) {
        SSLEngine engine = configure(context.createSSLEngine(hostname, port));
        engine.setUseClientMode(true);
        return engine;
    }

    private static SSLEngine configure(SSLEngine engine) {
        engine.setEnabledProtocols(PROTOCOLS);
        engine.setEnabledCipherSuites(SUITES);
        return engine;
    }

    // The trust manager has already required the run's own certificate; host names mean nothing here.
    @Override
    public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
        return Option.empty();
    }

    @Override
    public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
        return Option.empty();
    }
}
