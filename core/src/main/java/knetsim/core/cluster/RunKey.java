package knetsim.core.cluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The secret of a run: an EC P-256 private key and its self-signed certificate. Every system of the run
 * presents this certificate in the TLS handshake of Artery's {@code tls-tcp} transport and accepts a peer
 * only if it presents exactly the same one, which proves it holds the key ({@link RunKeyEngineProvider}).
 * The launcher makes a fresh one per run for the members it forks (in a directory only the user can read);
 * for members started by hand the user copies the file ({@code knetsim run --secret FILE}, {@code knetsim
 * member --secret FILE}). The file is PEM: the PKCS#8 key, then the certificate; it must be readable by its
 * owner only, as an ssh key must.
 */
public final class RunKey {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]*)-----END \\1-----");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final PrivateKey key;
    private final X509Certificate certificate;

    private RunKey(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** A fresh key and a self-signed certificate for it, valid from yesterday for ten years. */
    public static RunKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=knetsim run");
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()).abs(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
                    pair.getPublic());
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new RunKey(pair.getPrivate(), certificate);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a run key: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a fresh key to {@code secret.pem} in a new directory that only this user can enter; the caller
     * deletes both ({@link #deletePrivate}).
     */
    public static Path writeFresh() throws IOException {
        Path dir = posix()
                ? Files.createTempDirectory("knetsim-run-", PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")))
                : Files.createTempDirectory("knetsim-run-");
        Path file = dir.resolve("secret.pem");
        generate().write(file);
        return file;
    }

    /** Deletes a file made by {@link #writeFresh} and its directory; quietly, as part of a tear-down. */
    public static void deletePrivate(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            // a temporary file left behind is no reason to fail a run's tear-down
        }
    }

    /** Writes this key to a new file {@code file} that only its owner can read (mode 0600 from the start). */
    public void write(Path file) throws IOException {
        if (posix()) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        String text;
        try {
            text = "# knetsim run key: whoever holds this file can join and disturb runs that use it. Keep it\n"
                    + "# readable only by you (chmod 600); copy it only to the machines of your members.\n"
                    + "-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n"
                    + "-----BEGIN CERTIFICATE-----\n" + base64.encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot encode the run's certificate: " + e.getMessage(), e);
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    /**
     * Reads a key written by {@link #write}; IllegalArgumentException, naming the file, when it is missing,
     * readable by other users, or not a knetsim run key.
     */
    public static RunKey read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("secret file " + file + " does not exist (or is not a file)");
        }
        String text;
        try {
            if (posix()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (!OWNER_ONLY.containsAll(perms)) {
                    throw new IllegalArgumentException("secret file " + file + " can be read or written by other users ("
                            + PosixFilePermissions.toString(perms) + "); make it yours alone: chmod 600 " + file);
                }
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read secret file " + file + ": " + e.getMessage(), e);
        }
        byte[] keyBytes = null, certBytes = null;
        Matcher m = BLOCK.matcher(text);
        try {
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                if (m.group(1).equals("PRIVATE KEY")) keyBytes = der;
                if (m.group(1).equals("CERTIFICATE")) certBytes = der;
            }
            if (keyBytes == null || certBytes == null) {
                throw new IllegalArgumentException("secret file " + file + " is not a knetsim run key (it needs a PRIVATE"
                        + " KEY and a CERTIFICATE block; make one with knetsim run --listen ... --secret " + file + ")");
            }
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(keyBytes));
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certBytes));
            return new RunKey(key, cert);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("secret file ")) throw (IllegalArgumentException) e;
            throw new IllegalArgumentException("secret file " + file + " is not a knetsim run key: " + e.getMessage(), e);
        }
    }

    /** The first 8 bytes of the certificate's SHA-256, to tell keys apart in messages without showing them. */
    public String fingerprint() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").formatHex(hash, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * TLS that presents this key and accepts a peer only when it presents this very certificate: the
     * handshake's signature proves the peer holds the key.
     */
    public SSLContext sslContext() {
        return sslContext(keyManagers(), new TrustManager[] {new SameCertificate(certificate)});
    }

    static SSLContext sslContext(KeyManager[] keys, TrustManager[] trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.2");
            context.init(keys, trust, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS with the run's key: " + e.getMessage(), e);
        }
    }

    /** Managers that present this key and its certificate. */
    KeyManager[] keyManagers() {
        try {
            char[] none = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, none);
            store.setKeyEntry("run", key, none, new X509Certificate[] {certificate});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, none);
            return keys.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot load the run's key: " + e.getMessage(), e);
        }
    }

    /** Trusts exactly one certificate, the run's: no chains, no other issuer. */
    private record SameCertificate(X509Certificate expected) implements X509TrustManager {
        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0 || !chain[0].equals(expected)) {
                throw new CertificateException("the peer does not hold this run's key (its certificate is not the run's)");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {expected};
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
