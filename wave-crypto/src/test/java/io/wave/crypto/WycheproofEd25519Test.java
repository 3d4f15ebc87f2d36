package io.wave.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.crypto.internal.Ed25519Comb;
import io.wave.crypto.internal.HotKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Project Wycheproof's Ed25519 vectors (C2SP/wycheproof, {@code testvectors_v1/ed25519_test.json}; see the
 * README next to the file for commit and licence), run as data against {@link VerifyingKey} twice: with the
 * hot-key comb tables off, and with every vector's key made hot first so that the tables answer before
 * Bouncy Castle does. One dynamic test per vector and mode; a last test lists every disagreement together,
 * as Tink's Wycheproof runners do, so one run shows the whole picture.
 *
 * <p>{@code "acceptable"} vectors (a behaviour the standard leaves open) must get Bouncy Castle's raw
 * answer in both modes: what {@link VerifyingKey} accepts is exactly what Bouncy Castle 1.87 accepts,
 * cofactored equation included (docs/objects.md). The file at the pinned commit has none.
 */
class WycheproofEd25519Test {
    private static final String RESOURCE = "/wycheproof/ed25519_test.json";
    private static final List<Vector> VECTORS = load();
    /** Every disagreement of either mode, reported together by the last dynamic test. */
    private static final List<String> FAILURES = Collections.synchronizedList(new ArrayList<>());

    /** One test case, with its group's key. */
    private record Vector(int tcId, String comment, List<String> flags, String result, byte[] publicKey,
            byte[] message, byte[] signature) {
        String label() {
            return "tcId " + tcId + " " + flags + (comment.isEmpty() ? "" : " " + comment) + ": " + result;
        }
    }

    @AfterAll
    static void restore() {
        HotKeys.enabled(true);
        HotKeys.clear();
    }

    @Test
    void vectorFile_isWhollyRead() throws IOException {
        JsonNode root = readRoot();
        assertEquals("EDDSA", root.get("algorithm").asText());
        assertEquals(root.get("numberOfTests").asInt(), VECTORS.size(), "every test of every group is run");
        assertTrue(VECTORS.stream().anyMatch(v -> v.result().equals("valid")));
        assertTrue(VECTORS.stream().anyMatch(v -> v.result().equals("invalid")));
    }

    @TestFactory
    Stream<DynamicNode> wycheproof() {
        return Stream.of(
                dynamicContainer("hot-key tables off", VECTORS.stream().map(v ->
                        dynamicTest(v.label(), () -> check(v, false)))),
                dynamicContainer("hot-key tables on, every key hot", VECTORS.stream().map(v ->
                        dynamicTest(v.label(), () -> check(v, true)))),
                dynamicTest("every vector agrees in both modes", () -> {
                    if (!FAILURES.isEmpty()) {
                        fail(FAILURES.size() + " disagreement(s) with Wycheproof:\n  " + String.join("\n  ", FAILURES));
                    }
                }));
    }

    private static void check(Vector v, boolean hot) {
        List<String> wrong = hot ? checkHot(v) : checkCold(v);
        if (!wrong.isEmpty()) {
            String mode = hot ? " (tables on): " : " (tables off): ";
            wrong.forEach(w -> FAILURES.add(v.label() + mode + w));
            fail(String.join("; ", wrong));
        }
    }

    private static List<String> checkCold(Vector v) {
        HotKeys.clear();
        HotKeys.enabled(false);
        try {
            List<String> wrong = new ArrayList<>();
            boolean got = VerifyingKey.of(v.publicKey()).isValidRaw(v.message(), v.signature());
            if (got != expected(v)) {
                wrong.add("VerifyingKey answered " + (got ? "valid" : "invalid"));
            }
            return wrong;
        } finally {
            HotKeys.enabled(true);
        }
    }

    private static List<String> checkHot(Vector v) {
        assumeTrue(HotKeys.CAPACITY > 0, "tables are configured off (-Dwave.crypto.hotKeys=0)");
        HotKeys.enabled(true);
        List<String> wrong = new ArrayList<>();
        VerifyingKey key = VerifyingKey.of(v.publicKey());
        Ed25519Comb comb = makeHot(key);
        if (comb == null) {
            // VerifyingKey consults the tables only for a key Bouncy Castle takes as a point.
            if (Ed25519.validatePublicKeyPartial(v.publicKey(), 0)) {
                wrong.add("a valid key got no comb table");
            }
        } else if (comb.verifies(v.publicKey(), v.signature(), v.message()) != v.result().equals("valid")) {
            // The tables answer alone when they accept. Every valid vector here is an honest signature (strict
            // equation), so they must accept each one themselves, and must refuse every other.
            wrong.add("the comb table alone answered the opposite");
        }
        boolean got = key.isValidRaw(v.message(), v.signature());
        if (got != expected(v)) {
            wrong.add("VerifyingKey answered " + (got ? "valid" : "invalid"));
        }
        return wrong;
    }

    /** Verifies under {@code key} until it has a table (at most {@link HotKeys#THRESHOLD} times). */
    private static Ed25519Comb makeHot(VerifyingKey key) {
        byte[] encoded = key.encoded();
        Ed25519Comb comb = null;
        for (int i = 0; i <= HotKeys.THRESHOLD && comb == null; i++) {
            comb = HotKeys.combFor(key, encoded);
        }
        return comb;
    }

    private static boolean expected(Vector v) {
        return switch (v.result()) {
            case "valid" -> true;
            case "invalid" -> false;
            case "acceptable" -> v.signature().length == Ed25519.SIGNATURE_SIZE
                    && Ed25519.verify(v.signature(), 0, v.publicKey(), 0, v.message(), 0, v.message().length);
            default -> throw new IllegalStateException("tcId " + v.tcId() + ": unknown result " + v.result());
        };
    }

    private static JsonNode readRoot() throws IOException {
        try (InputStream in = WycheproofEd25519Test.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + RESOURCE);
            }
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<Vector> load() {
        try {
            HexFormat hex = HexFormat.of();
            List<Vector> out = new ArrayList<>();
            for (JsonNode group : readRoot().get("testGroups")) {
                byte[] pk = hex.parseHex(group.get("publicKey").get("pk").asText());
                for (JsonNode t : group.get("tests")) {
                    List<String> flags = new ArrayList<>();
                    t.get("flags").forEach(f -> flags.add(f.asText()));
                    out.add(new Vector(t.get("tcId").asInt(), t.get("comment").asText(), List.copyOf(flags),
                            t.get("result").asText(), pk, hex.parseHex(t.get("msg").asText()),
                            hex.parseHex(t.get("sig").asText())));
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
