package io.wave.agent.files;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Reading and writing the files users pass around. Reads are bounded; writes go to a temporary file in
 * the same directory and are moved into place, so a crash never leaves half a file; secret files are
 * created owner-only from the first byte.
 */
public final class WaveFiles {
    /** No WAVE file comes near this; reading a larger one is refused before it fills memory. */
    public static final int MAX_FILE_BYTES = 1024 * 1024;

    private WaveFiles() {}

    public static byte[] read(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes(MAX_FILE_BYTES + 1);
            if (b.length > MAX_FILE_BYTES) {
                throw WaveException.tooLarge(path + " is over " + MAX_FILE_BYTES + " bytes");
            }
            return b;
        } catch (NoSuchFileException e) {
            throw new WaveException(ErrorCode.NOT_FOUND, "no such file: " + path);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot read " + path + ": " + e.getMessage());
        }
    }

    /** The PEM blocks of a file (a raw DER file counts as one block of {@code rawType}). */
    public static List<Pem.Block> readBlocks(Path path, String rawType) {
        byte[] content = read(path);
        try {
            return Pem.decodeFile(content, rawType);
        } catch (WaveException e) {
            throw new WaveException(e.code(), path + ": " + e.getMessage());
        }
    }

    /**
     * Writes {@code text} to {@code path} atomically.
     *
     * @param secret  create the file readable and writable by its owner only
     * @param replace allow replacing an existing file
     */
    public static void write(Path path, String text, boolean secret, boolean replace) {
        write(path, text.getBytes(StandardCharsets.UTF_8), secret, replace);
    }

    /** As {@link #write(Path, String, boolean, boolean)}, for bytes (a model file, say). */
    public static void write(Path path, byte[] content, boolean secret, boolean replace) {
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        if (!replace && Files.exists(abs)) {
            throw WaveException.badArgument(path + " exists; refusing to overwrite it (use --force)");
        }
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            if (secret && supportsPosix(dir)) {
                tmp = Files.createTempFile(dir, ".wave-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                tmp = Files.createTempFile(dir, ".wave-", ".tmp");
            }
            Files.write(tmp, content);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            if (replace) {
                moveReplacing(tmp, abs);
            } else {
                try {
                    // Without REPLACE_EXISTING the move refuses an existing target (an atomic rename would not).
                    Files.move(tmp, abs);
                } catch (FileAlreadyExistsException e) {
                    throw WaveException.badArgument(path + " exists; refusing to overwrite it (use --force)");
                }
            }
            tmp = null;
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot write " + path + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file holds nothing the user has not been told failed
                }
            }
        }
    }

    private static void moveReplacing(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean supportsPosix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
