package io.wave.crypto.objects;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What gives permission names their meaning: a built-in set named by a short word ({@code mqtt},
 * {@code device}, {@code ml}, {@code wave}) or any entity, named by its id. Two applications' "write"
 * never collide because they live in different sets.
 */
public sealed interface PermissionSetRef {
    /** Built-in set names: a lowercase word, so that they can never be mistaken for an id. */
    Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    record Builtin(String name) implements PermissionSetRef {
        public Builtin {
            if (name == null || !NAME.matcher(name).matches()) {
                throw WaveException.malformed("a permission set name is a lowercase word of up to 32 characters");
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record ByEntity(EntityId entity) implements PermissionSetRef {
        public ByEntity {
            Objects.requireNonNull(entity, "entity");
        }

        @Override
        public String toString() {
            return entity.toString();
        }
    }

    /** Parses the text form: an entity id (44 characters) or a built-in name. */
    static PermissionSetRef parse(String text) {
        if (text != null && text.length() == Hash.TEXT_LENGTH) {
            return new ByEntity(EntityId.parse(text));
        }
        return new Builtin(text);
    }
}
