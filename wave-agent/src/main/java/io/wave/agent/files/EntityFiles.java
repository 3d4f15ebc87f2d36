package io.wave.agent.files;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.SecretBox;
import io.wave.crypto.objects.UnverifiedEntity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Entity files: a public block ({@code WAVE ENTITY}) that anyone may read, and in the holder's file a
 * secret block after it, sealed under a passphrase ({@code WAVE ENCRYPTED ENTITY SECRET}) or, only when
 * the user asked for it, in the clear ({@code WAVE ENTITY SECRET}).
 */
public final class EntityFiles {
    private EntityFiles() {}

    /** The text of a holder's file. */
    public static String secretFileText(EntitySecret secret, byte[] sealedOrNull) {
        StringBuilder sb = new StringBuilder();
        sb.append("# WAVE entity ").append(secret.id()).append('\n');
        sb.append("# This file holds a private key. Keep it to yourself; share the WAVE ENTITY block only.\n");
        sb.append(Pem.encode(Pem.ENTITY, secret.entity().encoded()));
        if (sealedOrNull != null) {
            sb.append(Pem.encode(Pem.SEALED_ENTITY_SECRET, sealedOrNull));
        } else {
            sb.append(Pem.encode(Pem.ENTITY_SECRET, secret.encodePlain()));
        }
        return sb.toString();
    }

    public static String publicFileText(Entity entity) {
        return "# WAVE entity " + entity.id() + "\n" + Pem.encode(Pem.ENTITY, entity.encoded());
    }

    /** The entity in a file's first {@code WAVE ENTITY} block, its self-signature checked. */
    public static Entity readPublic(Path path) {
        for (Pem.Block b : WaveFiles.readBlocks(path, Pem.ENTITY)) {
            if (b.type().equals(Pem.ENTITY)) {
                try {
                    return UnverifiedEntity.decode(b.der()).verify();
                } catch (WaveException e) {
                    throw new WaveException(e.code(), path + ": " + e.getMessage());
                }
            }
        }
        throw WaveException.malformed(path + " holds no WAVE ENTITY block");
    }

    /**
     * Opens the secret in a holder's file. The passphrase is asked for only when the secret is sealed.
     *
     * @throws WaveException NOT_FOUND when the file holds no secret, BAD_PASSPHRASE when it does not open
     */
    public static EntitySecret readSecret(Path path, Supplier<char[]> passphrase) {
        List<Pem.Block> blocks = WaveFiles.readBlocks(path, Pem.ENTITY_SECRET);
        for (Pem.Block b : blocks) {
            try {
                if (b.type().equals(Pem.ENTITY_SECRET)) {
                    return EntitySecret.decodePlain(b.der());
                }
                if (b.type().equals(Pem.SEALED_ENTITY_SECRET)) {
                    return SecretBox.open(b.der(), passphrase.get());
                }
            } catch (WaveException e) {
                throw new WaveException(e.code(), path + ": " + e.getMessage());
            }
        }
        throw new WaveException(ErrorCode.NOT_FOUND, path + " holds no entity secret (is it a public entity file?)");
    }

    /**
     * An entity named on the command line: a path to an entity file, or an id. With an id the entity
     * itself is unknown (null entity).
     */
    public record Named(EntityId id, Entity entity) {}

    public static Named resolve(String idOrFile) {
        Path p = Path.of(idOrFile);
        if (Files.isRegularFile(p)) {
            Entity e = readPublic(p);
            return new Named(e.id(), e);
        }
        if (idOrFile.length() == Hash.TEXT_LENGTH) {
            try {
                return new Named(EntityId.parse(idOrFile), null);
            } catch (WaveException e) {
                throw WaveException.badArgument("'" + idOrFile + "' is neither an entity file nor an entity id: "
                        + e.getMessage());
            }
        }
        throw WaveException.badArgument("'" + idOrFile + "' is neither an entity file nor an entity id");
    }
}
