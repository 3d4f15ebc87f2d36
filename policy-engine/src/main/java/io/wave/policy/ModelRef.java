package io.wave.policy;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.PermissionSetRef;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A model as a resource: {@code NAMESPACE/models/NAME}. Asking it for an inference needs {@code ml:infer}
 * on exactly that resource, so a grant on {@code models/*} covers every model of the namespace and a grant
 * on {@code models/occupancy} only that one.
 */
public record ModelRef(EntityId namespace, String name) {
    /** The resource cell under which models live. */
    public static final String MODELS = "models";
    /** A model's name is one resource cell: lowercase word characters, dots and dashes. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public ModelRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw WaveException.badArgument("model name '" + shorten(name) + "' is not 1 to 64 of a-z 0-9 . _ - "
                    + "starting with a letter or digit");
        }
    }

    /**
     * Parses {@code NAMESPACE/models/NAME}.
     *
     * @throws WaveException BAD_ARGUMENT when the text is not of that form
     */
    public static ModelRef parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split("/", -1);
        if (parts.length != 3 || !parts[1].equals(MODELS) || parts[0].length() != Hash.TEXT_LENGTH) {
            throw WaveException.badArgument("model resource '" + shorten(text) + "' is not NAMESPACE/models/NAME "
                    + "(a 44-character namespace id, then models/ and the model's name)");
        }
        EntityId ns;
        try {
            ns = EntityId.parse(parts[0]);
        } catch (WaveException e) {
            throw WaveException.badArgument("model resource '" + shorten(text) + "': " + e.getMessage());
        }
        return new ModelRef(ns, parts[2]);
    }

    /** The resource pattern of the model under its namespace: {@code models/NAME}. */
    public ResourcePattern resource() {
        return ResourcePattern.parse(MODELS + "/" + name);
    }

    /** What a caller must be granted to ask this model: {@code ml:infer@NAMESPACE/models/NAME}. */
    public Policy inferPolicy() {
        return new Policy(namespace, new PermissionSetRef.Builtin(PermissionSets.ML), new TreeSet<>(java.util.Set.of("infer")),
                resource());
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    @Override
    public String toString() {
        return namespace + "/" + MODELS + "/" + name;
    }
}
