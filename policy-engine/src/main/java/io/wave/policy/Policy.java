package io.wave.policy;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.PermissionSetRef;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What is granted or asked for: permissions from one permission set on a resource pattern in a
 * namespace. Text form: {@code PSET:PERM[,PERM...]@NAMESPACE/RESOURCE}, e.g.
 * {@code device:actuate@GyC.../building1/+/hvac}.
 */
public record Policy(EntityId namespace, PermissionSetRef permissionSet, SortedSet<String> permissions,
        ResourcePattern resource) {

    public Policy {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(permissionSet, "permissionSet");
        Objects.requireNonNull(resource, "resource");
        if (permissions == null || permissions.isEmpty()) {
            throw WaveException.malformed("a policy names at least one permission");
        }
        for (String p : permissions) {
            if (!AttestationBody.PERMISSION.matcher(p).matches()) {
                throw WaveException.malformed("permission '" + p + "' is not a lowercase word");
            }
        }
        permissions = Collections.unmodifiableSortedSet(new TreeSet<>(permissions));
        PermissionSets.check(permissionSet, permissions);
    }

    /**
     * Parses {@code PSET:PERM[,PERM...]@NAMESPACE/RESOURCE}.
     *
     * @throws WaveException BAD_ARGUMENT with a one-line explanation when the text is not of that form
     */
    public static Policy parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        int at = text.indexOf('@');
        if (colon <= 0 || at < colon + 2) {
            throw WaveException.badArgument("policy '" + text + "' is not PSET:PERM[,PERM...]@NAMESPACE/RESOURCE");
        }
        String pset = text.substring(0, colon);
        String perms = text.substring(colon + 1, at);
        String rest = text.substring(at + 1);
        int slash = rest.indexOf('/');
        if (slash != Hash.TEXT_LENGTH || slash == rest.length() - 1) {
            throw WaveException.badArgument("policy '" + text + "': after '@' comes a namespace id (44 characters), '/', "
                    + "and a resource such as building1/* ");
        }
        try {
            EntityId ns = EntityId.parse(rest.substring(0, slash));
            PermissionSetRef ref = PermissionSetRef.parse(pset);
            TreeSet<String> set = new TreeSet<>();
            for (String p : perms.split(",", -1)) {
                if (!set.add(p.strip())) {
                    throw WaveException.malformed("permission '" + p + "' named twice");
                }
            }
            return new Policy(ns, ref, set, ResourcePattern.parse(rest.substring(slash + 1)));
        } catch (WaveException e) {
            throw WaveException.badArgument("policy '" + text + "': " + e.getMessage());
        }
    }

    /** The same policy for a subset of its permissions. */
    public Policy withPermissions(SortedSet<String> subset) {
        return new Policy(namespace, permissionSet, subset, resource);
    }

    public List<String> permissionList() {
        return List.copyOf(permissions);
    }

    @Override
    public String toString() {
        return permissionSet + ":" + String.join(",", permissions) + "@" + namespace + "/" + resource;
    }
}
