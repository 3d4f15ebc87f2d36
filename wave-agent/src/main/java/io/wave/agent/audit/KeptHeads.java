package io.wave.agent.audit;

import io.wave.agent.files.WaveFiles;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.VerifyingKey;
import io.wave.crypto.WaveException;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.VerifiableLedger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The tree heads seen from a ledger, kept under {@code HOME/heads/} per ledger key ({@code $WAVE_HOME} for the
 * CLI, the agent's home for an agent): what lets a client detect that a ledger rewrote or forked its history
 * after the fact. Not safe for concurrent use on one home: its caller serializes.
 */
public final class KeptHeads {
    private static final HexFormat HEX = HexFormat.of();
    /** Older heads than this many are dropped: consistency with the newest kept head covers them. */
    static final int MAX_KEPT = 64;

    private final Path file;
    private final VerifyingKey key;

    public KeptHeads(Path home, VerifyingKey key) {
        this.key = key;
        this.file = home.resolve("heads").resolve(HEX.formatHex(key.encoded()) + ".heads");
    }

    List<SignedTreeHead> read() {
        List<SignedTreeHead> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        String text = new String(WaveFiles.read(file), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" ");
            try {
                out.add(new SignedTreeHead(Long.parseLong(f[0]), Long.parseLong(f[1]), HEX.parseHex(f[2]),
                        HEX.parseHex(f[3])).verify(key));
            } catch (RuntimeException e) {
                throw new WaveException(ErrorCode.MALFORMED, file + ": a kept tree head is damaged: " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Checks {@code current} against every kept head (signature, never smaller, consistency proof), then
     * keeps it. Returns how many kept heads were checked.
     *
     * @throws WaveException TAMPERED when the ledger's history does not extend what was seen before
     */
    public int checkAndKeep(VerifiableLedger ledger, SignedTreeHead current) {
        List<SignedTreeHead> kept = read();
        for (SignedTreeHead old : kept) {
            if (old.size() > current.size()) {
                throw new WaveException(ErrorCode.TAMPERED, "the ledger shrank: it had " + old.size()
                        + " entries and now claims " + current.size());
            }
            if (!ledger.consistency(old.size(), current.size()).verify(old, current)) {
                throw new WaveException(ErrorCode.TAMPERED, "the ledger's history of " + current.size()
                        + " entries does not extend the head of " + old.size() + " entries kept at "
                        + java.time.Instant.ofEpochMilli(old.timestamp()) + ": it was rewritten or forked");
            }
        }
        if (kept.isEmpty() || kept.get(kept.size() - 1).size() != current.size()) {
            kept.add(current);
            List<SignedTreeHead> tail = kept.subList(Math.max(0, kept.size() - MAX_KEPT), kept.size());
            StringBuilder sb = new StringBuilder();
            for (SignedTreeHead h : tail) {
                sb.append(h.size()).append(' ').append(h.timestamp()).append(' ').append(h.rootHex()).append(' ')
                        .append(HEX.formatHex(h.signature())).append('\n');
            }
            WaveFiles.write(file, sb.toString(), false, true);
        }
        return kept.size();
    }
}
