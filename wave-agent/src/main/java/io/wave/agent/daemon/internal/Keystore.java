package io.wave.agent.daemon.internal;

import io.wave.agent.files.EntityFiles;
import io.wave.agent.files.WaveFiles;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.SecretBox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The entities an agent acts for: one entity file per key in {@code HOME/keys}, in the CLI's format, the
 * secret sealed under the agent's passphrase (Argon2id + AES-GCM) and created owner-only. Unsealed keys
 * live only in this process's memory.
 */
public final class Keystore {
    /** Keys held at most: every one is unsealed at start, and an Argon2id opening costs a fraction of a second. */
    public static final int MAX_KEYS = 10_000;
    static final String SUFFIX = ".ent";

    private final Path dir;
    private final char[] passphrase;
    private final SecretBox.KdfParams kdf;
    private final SecureRandom random;
    private final Map<EntityId, EntitySecret> secrets = new ConcurrentHashMap<>();

    private Keystore(Path dir, char[] passphrase, SecretBox.KdfParams kdf, SecureRandom random) {
        this.dir = dir;
        this.passphrase = passphrase.clone();
        this.kdf = kdf;
        this.random = random;
    }

    /**
     * Opens (creating) the keystore in {@code dir} and unseals every key in it.
     *
     * @throws WaveException BAD_PASSPHRASE when the passphrase does not open a key, TOO_LARGE past {@link #MAX_KEYS}
     */
    public static Keystore open(Path dir, char[] passphrase, SecretBox.KdfParams kdf, SecureRandom random) {
        if (passphrase == null || passphrase.length == 0) {
            throw new WaveException(ErrorCode.PASSPHRASE_REQUIRED, "the agent's keystore needs a passphrase");
        }
        Keystore k = new Keystore(dir, passphrase, kdf, random);
        List<Path> files;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).limit(MAX_KEYS + 1L).toList();
            }
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot read the keystore " + dir + ": " + e.getMessage());
        }
        if (files.size() > MAX_KEYS) {
            throw WaveException.tooLarge("the keystore " + dir + " holds more than " + MAX_KEYS + " keys");
        }
        for (Path f : files) {
            EntitySecret s = EntityFiles.readSecret(f, k.passphrase::clone);
            k.secrets.put(s.id(), s);
        }
        return k;
    }

    /** Creates a new entity, seals it to disk, and holds it. */
    public EntitySecret create(Validity validity) {
        checkRoom();
        EntitySecret secret = EntitySecret.create(random, validity);
        store(secret);
        return secret;
    }

    /**
     * Holds an entity made elsewhere ({@code wave entity import}), sealed to disk as one it created.
     *
     * @return false when it holds the entity already (nothing is written)
     * @throws WaveException LIMIT_EXCEEDED past {@link #MAX_KEYS}
     */
    public synchronized boolean add(EntitySecret secret) {
        if (secrets.containsKey(secret.id())) {
            return false;
        }
        checkRoom();
        store(secret);
        return true;
    }

    private void checkRoom() {
        if (secrets.size() >= MAX_KEYS) {
            throw new WaveException(ErrorCode.LIMIT_EXCEEDED, "the keystore holds " + MAX_KEYS + " keys already");
        }
    }

    /** Seals the secret under the keystore's passphrase, writes it owner-only, and holds it. */
    private void store(EntitySecret secret) {
        char[] pass = passphrase.clone();
        byte[] sealed;
        try {
            sealed = SecretBox.seal(secret, pass, kdf, random);
        } finally {
            Arrays.fill(pass, '\0');
        }
        // Written (and synced) before the id is handed out: an acknowledged entity survives a crash.
        WaveFiles.write(dir.resolve(secret.id() + SUFFIX), EntityFiles.secretFileText(secret, sealed), true, false);
        secrets.put(secret.id(), secret);
    }

    /**
     * The secret of an entity this agent acts for.
     *
     * @throws WaveException NOT_FOUND when it holds no such key
     */
    public EntitySecret get(EntityId id) {
        EntitySecret s = secrets.get(id);
        if (s == null) {
            throw new WaveException(ErrorCode.NOT_FOUND, "this agent does not hold the key of entity " + id);
        }
        return s;
    }

    public boolean holds(EntityId id) {
        return secrets.containsKey(id);
    }

    public Collection<EntityId> ids() {
        return List.copyOf(secrets.keySet());
    }
}
