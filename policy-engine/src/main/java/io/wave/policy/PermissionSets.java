package io.wave.policy;

import io.wave.crypto.WaveException;
import io.wave.crypto.objects.PermissionSetRef;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The built-in permission sets. A set named by an entity id defines its own permission names, so any
 * lowercase word is accepted there; a built-in set accepts only its own names.
 */
public final class PermissionSets {
    /** {@code wave}: the system's own rights in a namespace ({@code decrypt}: receive its message keys). */
    public static final String WAVE = "wave";
    /** {@code mqtt}: publish and subscribe on topics under the namespace. */
    public static final String MQTT = "mqtt";
    /**
     * {@code device}: read a device's state, actuate it, and {@code serve}: be the device that answers
     * commands on a resource (what a command client checks before it trusts a reply).
     */
    public static final String DEVICE = "device";
    /** {@code ml}: ask a model for an inference. */
    public static final String ML = "ml";

    private static final Map<String, Set<String>> BUILTIN = Map.of(
            WAVE, Set.of("decrypt"),
            MQTT, Set.of("publish", "subscribe"),
            DEVICE, Set.of("read", "actuate", "serve"),
            ML, Set.of("infer"));

    private PermissionSets() {}

    /** The names of the built-in sets. */
    public static Set<String> builtinNames() {
        return BUILTIN.keySet();
    }

    /** The permissions of a built-in set. */
    public static Set<String> permissionsOf(String builtin) {
        Set<String> s = BUILTIN.get(builtin);
        if (s == null) {
            throw WaveException.malformed("unknown built-in permission set '" + builtin + "'");
        }
        return s;
    }

    /**
     * Checks that every permission belongs to the set.
     *
     * @throws WaveException MALFORMED for an unknown built-in set or a permission it does not define
     */
    public static void check(PermissionSetRef set, Collection<String> permissions) {
        if (set instanceof PermissionSetRef.Builtin b) {
            Set<String> known = permissionsOf(b.name());
            for (String p : permissions) {
                if (!known.contains(p)) {
                    throw WaveException.malformed("permission set '" + b.name() + "' has no permission '" + p
                            + "' (it has " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
                }
            }
        }
    }
}
