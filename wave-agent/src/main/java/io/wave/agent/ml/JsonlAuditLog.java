package io.wave.agent.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.ProofId;
import io.wave.crypto.WaveException;
import io.wave.policy.AuditLog;
import io.wave.policy.DecisionRecord;
import io.wave.policy.ReasonCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The audit trail as a file of JSON lines, one {@link DecisionRecord} a line, appended and synced before
 * {@link #append} returns, so that what an operator reads with {@code wave infer audit} (or {@code jq})
 * is every decision made, refusals included. Opened for append only: nothing here rewrites a line.
 *
 * <pre>{"time":"2026-01-01T12:00:00Z","kind":"INFERENCE","model":"...","subject":"...","action":"ml:infer@.../models/occupancy",
 *  "input":"...","output":"occupied","confidence":0.93,"proof":"...","reason":"VALID","detail":"valid"}</pre>
 */
public final class JsonlAuditLog implements AuditLog, AutoCloseable {
    /** A record is a few hundred bytes; a longer line is no record of ours. */
    public static final int MAX_LINE_CHARS = 8 * 1024;
    /** What {@link #read} returns at most: the newest records, enough for an operator's screen or a script. */
    public static final int MAX_READ = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final boolean sync;

    private JsonlAuditLog(Path file, FileChannel channel, boolean sync) {
        this.file = file;
        this.channel = channel;
        this.sync = sync;
    }

    /**
     * Opens (or creates) the log for appending.
     *
     * @param sync force every record to the disk before {@link #append} returns (what a server must do;
     *             a benchmark may choose not to)
     */
    public static JsonlAuditLog open(Path file, boolean sync) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new JsonlAuditLog(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), sync);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot open the audit log " + file + ": " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void append(DecisionRecord r) {
        byte[] line = (line(r) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            if (sync) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot append to the audit log " + file + ": " + e.getMessage());
        }
    }

    /** A record as its one line of JSON (without the newline). */
    public static String line(DecisionRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", r.time().toString());
        n.put("kind", r.kind().name());
        n.put("model", r.model().toString());
        n.put("subject", r.subject() == null ? null : r.subject().toString());
        n.put("action", r.action());
        n.put("input", r.input() == null ? null : r.input().toString());
        n.put("output", r.output());
        if (Double.isNaN(r.confidence())) {
            n.putNull("confidence");
        } else {
            n.put("confidence", r.confidence());
        }
        n.put("proof", r.proof() == null ? null : r.proof().toString());
        n.put("reason", r.reason().name());
        n.put("detail", r.detail());
        return n.toString();
    }

    /**
     * The newest {@code max} records of a log file, oldest first.
     *
     * @throws WaveException NOT_FOUND, IO_ERROR, or MALFORMED naming the line that is no record
     */
    public static List<DecisionRecord> read(Path file, int max) {
        if (max < 1 || max > MAX_READ) {
            throw WaveException.badArgument("read 1 to " + MAX_READ + " records, not " + max);
        }
        Deque<DecisionRecord> out = new ArrayDeque<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            String l;
            while ((l = boundedLine(in)) != null) {
                number++;
                if (l.length() > MAX_LINE_CHARS) {
                    throw WaveException.malformed(file + ":" + number + ": line over " + MAX_LINE_CHARS + " characters");
                }
                if (l.isBlank()) {
                    continue;
                }
                try {
                    out.addLast(parse(JSON.readTree(l)));
                } catch (IOException | RuntimeException e) {
                    throw WaveException.malformed(file + ":" + number + ": not a decision record ("
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""))
                            + ")");
                }
                if (out.size() > max) {
                    out.removeFirst();
                }
            }
        } catch (NoSuchFileException e) {
            throw new WaveException(ErrorCode.NOT_FOUND, "no audit log " + file);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage());
        }
        return new ArrayList<>(out);
    }

    /** The next line, or null at the end; a line longer than the bound is cut one past it, never held whole. */
    private static String boundedLine(BufferedReader in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (sb.length() <= MAX_LINE_CHARS) {
                sb.append((char) c);
            }
        }
        if (c == -1 && sb.length() == 0) {
            return null;
        }
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
    }

    private static DecisionRecord parse(JsonNode n) {
        return new DecisionRecord(Instant.parse(n.get("time").asText()), DecisionRecord.Kind.valueOf(n.get("kind").asText()),
                EntityId.parse(n.get("model").asText()), text(n, "subject") == null ? null : EntityId.parse(text(n, "subject")),
                n.get("action").asText(), text(n, "input") == null ? null : Hash.parse(text(n, "input")), text(n, "output"),
                n.get("confidence").isNull() ? Double.NaN : n.get("confidence").asDouble(),
                text(n, "proof") == null ? null : new ProofId(Hash.parse(text(n, "proof"))),
                ReasonCode.valueOf(n.get("reason").asText()), n.get("detail").asText());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot close the audit log " + file + ": " + e.getMessage());
        }
    }
}
