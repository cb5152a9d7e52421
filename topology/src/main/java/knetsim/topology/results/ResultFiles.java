package knetsim.topology.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes result files atomically (a temporary file renamed into place), so a reader never sees a
 * half-written file and an interrupted run never leaves one behind.
 */
public final class ResultFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFiles() {}

    /**
     * {@code dir/relative}, refusing (IOException) a path that would leave {@code dir}: every results writer
     * names its files through this, so a name taken from the topology can never write elsewhere.
     */
    public static Path inside(Path dir, String relative) throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        Path file = relative.indexOf('\0') >= 0 ? base : base.resolve(relative).normalize();
        if (!file.startsWith(base) || file.equals(base)) {
            throw new IOException("refusing to write \"" + relative + "\": it is outside the results folder " + base);
        }
        return file;
    }

    public static void writeJson(Path file, Map<String, ?> content) throws IOException {
        writeAtomically(file, JSON.writeValueAsBytes(content));
    }

    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        writeAtomically(file, out -> out.write(bytes));
    }

    /** What writes a file's content, streamed: nothing of it needs to be in memory at once. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Streams {@code content} into a temporary file next to {@code file}, then renames it into place. The
     * file gets the mode the umask gives a new file (0644 under umask 022), as any tool's output does;
     * Files.createTempFile would make it 0600.
     */
    public static void writeAtomically(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = null;
        OutputStream raw = null;
        for (int attempt = 0; raw == null; attempt++) {
            temp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
            try {
                raw = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            }
        }
        try {
            try (OutputStream out = new BufferedOutputStream(raw, 1 << 16)) {
                content.writeTo(out);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public static Map<String, Object> readJson(Path file) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.readValue(file.toFile(), Map.class);
        return map;
    }
}
