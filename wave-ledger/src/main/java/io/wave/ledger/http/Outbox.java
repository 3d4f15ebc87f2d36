package io.wave.ledger.http;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Publishes waiting for an unreachable server, one file per publish holding the exact request body, named
 * so that names sort in the order they were queued. Files are written atomically; a publish is removed only
 * once the server has answered it. One the server refuses (it will never accept it: bad signature, missing
 * attester) is moved to {@code refused/} beside a note of why, so it never blocks the ones after it.
 */
final class Outbox {
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Path refused;
    private long lastSequence;

    Outbox(Path dir) {
        this.dir = dir;
        this.refused = dir.resolve("refused");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot create the outbox " + dir + ": " + e.getMessage(), e);
        }
    }

    Path directory() {
        return dir;
    }

    /** Queues a publish behind every one already queued (by this or another process). */
    synchronized void add(byte[] body) {
        List<Path> queued = pending();
        long last = queued.isEmpty() ? 0 : sequence(queued.get(queued.size() - 1));
        lastSequence = Math.max(lastSequence, last) + 1;
        // The random part keeps two processes that pick the same number from overwriting each other.
        String name = String.format("%019d-%s%s", lastSequence, UUID.randomUUID(), SUFFIX);
        AtomicFiles.write(dir.resolve(name), body);
    }

    /** Queued publishes, oldest first. */
    synchronized List<Path> pending() {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot list the outbox " + dir + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    int size() {
        return pending().size();
    }

    /** The body of a queued publish, or null when another process has delivered it meanwhile. */
    byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** The server has it: forget it. */
    synchronized void delivered(Path p) {
        try {
            Files.deleteIfExists(p);
            AtomicFiles.syncDirectory(dir);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot remove " + p + ": " + e.getMessage(), e);
        }
    }

    /** The server will never take it: set it aside with the reason, out of the queue. */
    synchronized void refuse(Path p, WaveException why) {
        try {
            Files.createDirectories(refused);
            Path target = refused.resolve(p.getFileName());
            AtomicFiles.write(refused.resolve(p.getFileName() + ".reason.txt"),
                    (why.code() + ": " + why.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            Files.move(p, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.syncDirectory(dir);
        } catch (NoSuchFileException gone) {
            // delivered or set aside by another process meanwhile
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot set aside " + p + ": " + e.getMessage(), e);
        }
    }

    private static long sequence(Path p) {
        String name = p.getFileName().toString();
        int dash = name.indexOf('-');
        try {
            return Long.parseLong(dash > 0 ? name.substring(0, dash) : name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
