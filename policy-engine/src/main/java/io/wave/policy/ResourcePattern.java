package io.wave.policy;

import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Limits;
import java.util.ArrayList;
import java.util.List;

/**
 * A resource pattern under a namespace: {@code /}-separated cells, where a cell {@code +} matches
 * exactly one cell and a final {@code *} matches all the rest (zero or more cells). A concrete resource
 * is a pattern without wildcards.
 *
 * <p>Patterns are closed under intersection: the resources two patterns both match are again one
 * pattern (or none), which is what lets a delegation path narrow a grant hop by hop.
 */
public final class ResourcePattern {
    public static final String ONE = "+";
    public static final String REST = "*";
    /** {@code +/*}: every resource, written with its one required cell. */
    private static final ResourcePattern ANY = new ResourcePattern(new String[] {ONE}, true);

    private final String[] cells;
    private final boolean rest;
    private final String text;

    private ResourcePattern(String[] cells, boolean rest) {
        this.cells = cells;
        this.rest = rest;
        StringBuilder sb = new StringBuilder();
        for (String c : cells) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(c);
        }
        if (rest) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(REST);
        }
        this.text = sb.toString();
    }

    /**
     * Parses a pattern strictly: no empty cells, no leading or trailing slash, {@code +} and {@code *}
     * only as whole cells, {@code *} only last.
     *
     * @throws WaveException MALFORMED otherwise
     */
    public static ResourcePattern parse(String text) {
        if (text == null || text.isEmpty() || text.length() > Limits.MAX_RESOURCE_CHARS) {
            throw WaveException.malformed("a resource is 1 to " + Limits.MAX_RESOURCE_CHARS + " characters");
        }
        String[] parts = text.split("/", -1);
        List<String> cells = new ArrayList<>(parts.length);
        boolean rest = false;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                throw WaveException.malformed("resource '" + text + "' has an empty cell");
            }
            if (p.equals(REST)) {
                if (i != parts.length - 1) {
                    throw WaveException.malformed("resource '" + text + "': '*' may only be the last cell");
                }
                rest = true;
                continue;
            }
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (Character.isWhitespace(c) || Character.isISOControl(c)
                        || ((c == '*' || c == '+') && p.length() > 1)) {
                    throw WaveException.malformed("resource '" + text + "': cell '" + p + "' is not allowed");
                }
            }
            cells.add(p);
        }
        return new ResourcePattern(cells.toArray(String[]::new), rest);
    }

    /** True when every resource {@code other} matches is matched by this pattern. */
    public boolean covers(ResourcePattern other) {
        if (other.rest && other.cells.length == 0) {
            // A resource has at least one cell, so "*" matches exactly what "+/*" matches.
            other = ANY;
        }
        if (cells.length > other.cells.length) {
            return false;
        }
        for (int i = 0; i < cells.length; i++) {
            if (!cells[i].equals(ONE) && !cells[i].equals(other.cells[i])) {
                return false;
            }
        }
        if (rest) {
            return true;
        }
        return cells.length == other.cells.length && !other.rest;
    }

    /** The pattern matching exactly what both match, or null when they share nothing. */
    public ResourcePattern intersect(ResourcePattern other) {
        // Delegation usually narrows or repeats: then one side is the answer, and nothing is built.
        if (covers(other)) {
            return other;
        }
        if (other.covers(this)) {
            return this;
        }
        ResourcePattern shorter = cells.length <= other.cells.length ? this : other;
        ResourcePattern longer = shorter == this ? other : this;
        int n = longer.cells.length;
        if (shorter.cells.length < n && !shorter.rest) {
            return null;
        }
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            String b = longer.cells[i];
            if (i >= shorter.cells.length) {
                out[i] = b;
                continue;
            }
            String a = shorter.cells[i];
            if (a.equals(ONE)) {
                out[i] = b;
            } else if (b.equals(ONE) || b.equals(a)) {
                out[i] = a;
            } else {
                return null;
            }
        }
        boolean r = shorter.cells.length == n ? shorter.rest && longer.rest : longer.rest;
        return new ResourcePattern(out, r);
    }

    /** True when this pattern has no wildcard. */
    public boolean isConcrete() {
        if (rest) {
            return false;
        }
        for (String c : cells) {
            if (c.equals(ONE)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourcePattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
