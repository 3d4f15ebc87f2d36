package io.wave.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resource patterns: strict parsing, and {@code covers} and {@code intersect} checked both on examples and,
 * exhaustively over a small alphabet, against an independent reading of the grammar ({@code +} is one cell,
 * a final {@code *} is zero or more cells, a concrete resource has at least one cell).
 */
class ResourcePatternTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "building1/floor2/hvac", "a/+/c", "+", "*", "+/*", "a/*", "a/+/*", "café/ŝtono",
            "a-b_c.d:e@f"})
    void parse_acceptsWellFormedPatternsAndPrintsThemBack(String text) {
        assertEquals(text, ResourcePattern.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/a", "a/", "a//b", "a/*/b", "*/*", "**", "a/b*", "a/*b", "a/+b", "x+", "++x",
            "a b", "a/\tb", "a/\nb", "a/\u0000"})
    void parse_rejectsMalformedPatterns(String text) {
        assertMalformed(text);
    }

    @Test
    void parse_boundsTheLength() {
        String longest = "a".repeat(Limits.MAX_RESOURCE_CHARS);
        assertEquals(longest, ResourcePattern.parse(longest).toString());
        assertMalformed(longest + "a");
        assertThrows(WaveException.class, () -> ResourcePattern.parse(null));
    }

    @Test
    void isConcrete_onlyWithoutWildcards() {
        assertTrue(ResourcePattern.parse("a/b").isConcrete());
        assertFalse(ResourcePattern.parse("a/+").isConcrete());
        assertFalse(ResourcePattern.parse("a/*").isConcrete());
    }

    @Test
    void equality_isByText() {
        assertEquals(ResourcePattern.parse("a/+/*"), ResourcePattern.parse("a/+/*"));
        assertEquals(ResourcePattern.parse("a/+/*").hashCode(), ResourcePattern.parse("a/+/*").hashCode());
        assertFalse(ResourcePattern.parse("a/+").equals(ResourcePattern.parse("a/*")));
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "building1/*,              building1/floor2/hvac,  true",
        "building1/*,              building1,              true",
        "building1/*,              building1/*,            true",
        "building1/*,              building2/floor1,       false",
        "building1/floor2/*,       building1/*,            false",
        "building1/+/hvac,         building1/floor2/hvac,  true",
        "building1/+/hvac,         building1/+/hvac,       true",
        "building1/+/hvac,         building1/a/b/hvac,     false",
        "building1/+,              building1/*,            false",
        "building1/+,              building1,              false",
        "building1/floor2/hvac,    building1/+/hvac,       false",
        "*,                        anything/at/all,        true",
        "+/*,                      a,                      true",
        "+/*,                      *,                      true",
        "*,                        +/*,                    true",
        "a/b,                      a/b,                    true",
        "a/b,                      a/b/c,                  false",
    })
    void covers_examples(String granted, String asked, boolean expected) {
        assertEquals(expected, ResourcePattern.parse(granted).covers(ResourcePattern.parse(asked)));
    }

    @ParameterizedTest(name = "{0} ∩ {1} = {2}")
    @CsvSource({
        "building1/*,          +/floor2/hvac,      building1/floor2/hvac",
        "building1/floor2/*,   building1/*,        building1/floor2/*",
        "building1/+/hvac,     building1/floor2/*, building1/floor2/hvac",
        "a/+,                  +/b/*,              a/b",
        "a/*,                  a,                  a",
        "a/*,                  b/*,                NONE",
        "a/+,                  a/b/c,              NONE",
        "*,                    +/*,                +/*",
        "a/+/*,                +/b,                a/b",
    })
    void intersect_examples(String left, String right, String expected) {
        ResourcePattern l = ResourcePattern.parse(left);
        ResourcePattern r = ResourcePattern.parse(right);
        ResourcePattern i = l.intersect(r);
        if (expected.equals("NONE")) {
            assertNull(i);
        } else {
            assertEquals(ResourcePattern.parse(expected), i);
        }
        assertSameResources(i, r.intersect(l));
    }

    // ----------------------------------------------------------------- properties over a small alphabet

    /** Every pattern of up to 3 cells over {a, b, +}, with and without a final *. */
    private static final List<String> PATTERNS = patterns();
    /** Every concrete resource of 1 to 4 cells over {a, b, c}: c never appears in a pattern, 4 is one past. */
    private static final List<String> RESOURCES = resources();

    @Test
    void intersect_matchesExactlyTheResourcesBothMatch() {
        List<String> failures = new ArrayList<>();
        for (String a : PATTERNS) {
            for (String b : PATTERNS) {
                ResourcePattern i = ResourcePattern.parse(a).intersect(ResourcePattern.parse(b));
                for (String r : RESOURCES) {
                    boolean both = matches(a, r) && matches(b, r);
                    boolean got = i != null && matches(i.toString(), r);
                    if (both != got) {
                        failures.add(a + " ∩ " + b + " = " + i + ", yet on " + r + ": both match " + both);
                        break;
                    }
                }
            }
        }
        assertNoFailures(failures);
    }

    @Test
    void intersect_isSymmetric() {
        for (String a : PATTERNS) {
            for (String b : PATTERNS) {
                assertSameResources(ResourcePattern.parse(a).intersect(ResourcePattern.parse(b)),
                        ResourcePattern.parse(b).intersect(ResourcePattern.parse(a)));
            }
        }
    }

    /**
     * Two patterns for the same resources, perhaps written differently ({@code *} and {@code +/*}); covering each
     * other is the test, which is exact because {@link #covers_iffEveryResourceTheOtherMatchesIsMatched} holds.
     */
    private static void assertSameResources(ResourcePattern x, ResourcePattern y) {
        if (x == null || y == null) {
            assertEquals(x, y);
            return;
        }
        assertTrue(x.covers(y) && y.covers(x), x + " and " + y + " should match the same resources");
    }

    @Test
    void covers_iffEveryResourceTheOtherMatchesIsMatched() {
        List<String> failures = new ArrayList<>();
        for (String a : PATTERNS) {
            for (String b : PATTERNS) {
                boolean expected = RESOURCES.stream().allMatch(r -> !matches(b, r) || matches(a, r));
                if (ResourcePattern.parse(a).covers(ResourcePattern.parse(b)) != expected) {
                    failures.add(a + " covers " + b + " should be " + expected);
                }
            }
        }
        assertNoFailures(failures);
    }

    @Test
    void covers_onAConcreteResourceIsMatching() {
        for (String a : PATTERNS) {
            for (String r : RESOURCES) {
                assertEquals(matches(a, r), ResourcePattern.parse(a).covers(ResourcePattern.parse(r)), a + " vs " + r);
            }
        }
    }

    @Test
    void theAlphabetIsLargeEnoughToMeanSomething() {
        assertEquals(79, PATTERNS.size());
        assertEquals(120, RESOURCES.size());
    }

    /** The grammar read independently: a regular expression per pattern. */
    private static boolean matches(String pattern, String resource) {
        String[] cells = pattern.split("/");
        boolean rest = cells[cells.length - 1].equals("*");
        int n = rest ? cells.length - 1 : cells.length;
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                re.append('/');
            }
            re.append(cells[i].equals("+") ? "[^/]+" : Pattern.quote(cells[i]));
        }
        if (rest) {
            re.append(n == 0 ? "[^/]+(/[^/]+)*" : "(/[^/]+)*");
        }
        return resource.matches(re.toString());
    }

    private static List<String> patterns() {
        List<String> out = new ArrayList<>();
        for (List<String> cells : sequences(List.of("a", "b", "+"), 0, 3)) {
            if (!cells.isEmpty()) {
                out.add(String.join("/", cells));
            }
            List<String> withRest = new ArrayList<>(cells);
            withRest.add("*");
            out.add(String.join("/", withRest));
        }
        return out;
    }

    private static List<String> resources() {
        return sequences(List.of("a", "b", "c"), 1, 4).stream().map(c -> String.join("/", c)).toList();
    }

    private static List<List<String>> sequences(List<String> alphabet, int min, int max) {
        List<List<String>> out = new ArrayList<>();
        List<List<String>> layer = List.of(List.of());
        for (int len = 0; len <= max; len++) {
            if (len >= min) {
                out.addAll(layer);
            }
            List<List<String>> next = new ArrayList<>();
            for (List<String> s : layer) {
                for (String c : alphabet) {
                    List<String> t = new ArrayList<>(s);
                    t.add(c);
                    next.add(t);
                }
            }
            layer = next;
        }
        return out;
    }

    private static void assertNoFailures(List<String> failures) {
        if (!failures.isEmpty()) {
            fail(failures.size() + " counterexamples, e.g.\n  " + String.join("\n  ", failures.subList(0,
                    Math.min(10, failures.size()))));
        }
    }

    private static void assertMalformed(String text) {
        WaveException e = assertThrows(WaveException.class, () -> ResourcePattern.parse(text), text);
        assertEquals(ErrorCode.MALFORMED, e.code());
    }
}
