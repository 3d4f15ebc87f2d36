package io.wave.agent.files;

import io.wave.crypto.EntityId;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.UnverifiedAttestation;
import io.wave.crypto.objects.UnverifiedEntity;
import io.wave.policy.GrantGraph;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads a directory of grant and entity files into a {@link GrantGraph}. Every entity's self-signature
 * and every attestation's signature is checked on the way in; what fails, or cannot be checked because
 * its attester's entity is absent, is skipped with a one-line warning, never trusted.
 */
public final class GrantDirectory {
    /** Files examined at most: a grant directory is a person's working set, not a ledger. */
    public static final int MAX_FILES = 100_000;
    private static final int MAX_DEPTH = 4;

    private GrantDirectory() {}

    public static GrantGraph load(Path dir, PrintWriter warnings) {
        if (!Files.isDirectory(dir)) {
            throw new WaveException(io.wave.crypto.ErrorCode.NOT_FOUND, "no such directory: " + dir);
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir, MAX_DEPTH)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().limit(MAX_FILES + 1L).toList();
        } catch (IOException e) {
            throw new WaveException(io.wave.crypto.ErrorCode.IO_ERROR, "cannot list " + dir + ": " + e.getMessage());
        }
        if (files.size() > MAX_FILES) {
            throw WaveException.tooLarge(dir + " holds more than " + MAX_FILES + " files");
        }
        GrantGraph graph = new GrantGraph();
        Map<EntityId, Entity> entities = new HashMap<>();
        List<UnverifiedAttestation> pending = new ArrayList<>();
        for (Path f : files) {
            List<Pem.Block> blocks;
            try {
                blocks = Pem.decodeAll(new String(WaveFiles.read(f), java.nio.charset.StandardCharsets.UTF_8));
            } catch (WaveException e) {
                warnings.println("wave: skipping " + f + ": " + e.getMessage());
                continue;
            }
            for (Pem.Block b : blocks) {
                try {
                    if (b.type().equals(Pem.ENTITY)) {
                        Entity e = UnverifiedEntity.decode(b.der()).verify();
                        entities.put(e.id(), e);
                        graph.add(e);
                    } else if (b.type().equals(Pem.ATTESTATION)) {
                        pending.add(UnverifiedAttestation.decode(b.der()));
                    }
                } catch (WaveException e) {
                    warnings.println("wave: skipping a " + b.type() + " block in " + f + ": " + e.getMessage());
                }
            }
        }
        for (UnverifiedAttestation ua : pending) {
            Entity attester = entities.get(ua.attester());
            if (attester == null) {
                warnings.println("wave: skipping attestation " + ua.id() + ": its attester " + ua.attester()
                        + " has no entity file here");
                continue;
            }
            try {
                graph.add(ua.verify(attester));
            } catch (WaveException e) {
                warnings.println("wave: skipping attestation " + ua.id() + ": " + e.getMessage());
            }
        }
        warnings.flush();
        return graph;
    }
}
