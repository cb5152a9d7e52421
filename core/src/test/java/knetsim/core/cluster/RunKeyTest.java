package knetsim.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run key's file: private from its creation, read back as written, refused with its name when unsafe. */
class RunKeyTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenKeyIsReadableByItsOwnerOnlyAndReadsBackAsTheSameKey() throws Exception {
        RunKey key = RunKey.generate();
        Path file = dir.resolve("secret.pem");
        key.write(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String text = Files.readString(file);
        assertTrue(text.contains("-----BEGIN PRIVATE KEY-----") && text.contains("-----BEGIN CERTIFICATE-----"), text);
        assertEquals(key.fingerprint(), RunKey.read(file).fingerprint());
        assertNotEquals(key.fingerprint(), RunKey.generate().fingerprint(), "two runs must not share a key");
    }

    @Test
    void aFreshKeyLivesInADirectoryOnlyItsOwnerCanEnterAndIsDeletedWithIt() throws Exception {
        Path file = RunKey.writeFresh();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        RunKey.deletePrivate(file);
        assertFalse(Files.exists(file.getParent()));
    }

    @Test
    void aKeyOthersCanReadIsRefusedNamingTheFileAndTheFix() throws Exception {
        Path file = dir.resolve("shared.pem");
        RunKey.generate().write(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        var e = assertThrows(IllegalArgumentException.class, () -> RunKey.read(file));
        assertEquals("secret file " + file + " can be read or written by other users (rw-r--r--); make it yours alone:"
                + " chmod 600 " + file, e.getMessage());
    }

    @Test
    void aMissingOrForeignFileIsRefusedNamingIt() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertEquals("secret file " + missing + " does not exist (or is not a file)",
                assertThrows(IllegalArgumentException.class, () -> RunKey.read(missing)).getMessage());
        Path junk = dir.resolve("junk.pem");
        Files.createFile(junk, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(junk, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        String message = assertThrows(IllegalArgumentException.class, () -> RunKey.read(junk)).getMessage();
        assertTrue(message.startsWith("secret file " + junk + " is not a knetsim run key"), message);
    }

    @Test
    void theServerSideDemandsTheClientsCertificateOverTls12() {
        RunKeyEngineProvider provider = new RunKeyEngineProvider(RunKey.generate().sslContext());
        SSLEngine server = provider.createServerSSLEngine("127.0.0.1", 0);
        assertTrue(server.getNeedClientAuth());
        assertFalse(server.getUseClientMode());
        assertEquals("[TLSv1.2]", java.util.Arrays.toString(server.getEnabledProtocols()));
        assertTrue(provider.createClientSSLEngine("127.0.0.1", 1).getUseClientMode());
    }
}
