package io.wave.ledger.http;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Files the client keeps (pinned key, kept head, queued publishes), written so a crash leaves the old or the new. */
final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Writes {@code bytes} to a temporary file beside {@code target}, syncs it, renames it over {@code target}
     * and syncs the directory: after a crash the file is whole or absent, never half written.
     */
    static void write(Path target, byte[] bytes) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".tmp-", "");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is named to be recognised and skipped
                }
            }
        }
    }

    /** Makes a rename or delete in {@code dir} durable; a no-op where directories cannot be opened (Windows). */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the rename itself is atomic either way
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
