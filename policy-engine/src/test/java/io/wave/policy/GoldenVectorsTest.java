package io.wave.policy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.wave.crypto.EntityId;
import io.wave.policy.vectors.Manifest;
import io.wave.policy.vectors.VectorGenerator;
import io.wave.policy.vectors.VectorRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The golden proof vectors in {@code src/test/resources/vectors}, run as data: each case's proof goes through
 * {@link ProofVerifier#verify(byte[], Request)} exactly as bytes from the network would, and must get the
 * verdict the manifest records. The files are also checked against {@link VectorGenerator}, so that they can
 * neither drift from the code that explains them nor be edited by hand.
 */
class GoldenVectorsTest {
    private static final String DIR = "/vectors/";

    @TestFactory
    Stream<DynamicTest> verify_givesEveryVectorItsRecordedVerdict() {
        return manifest().cases().stream().map(c -> dynamicTest(c.name(), () -> {
            Verdict v = VectorRunner.run(c, resource(c.file()), null);
            assertAll(c.name() + " (" + c.story() + "); the verifier said: " + v.detail(),
                    () -> assertEquals(c.reason(), v.reason(), "reason"),
                    () -> assertEquals(c.valid(), v.valid(), "valid"),
                    () -> assertEquals(Boolean.TRUE.equals(c.conditional()) && c.valid(), v.conditional(),
                            "a verdict is conditional exactly when a conditional request left caveats unchecked"),
                    () -> {
                        if (c.expires() != null) {
                            assertEquals(Instant.ofEpochSecond(c.expires()), v.expires(), "expires");
                        }
                    },
                    () -> {
                        if (c.valid()) {
                            assertFalse(v.policies().isEmpty(), "a valid verdict says what the proof grants");
                            if (c.subject() != null) {
                                assertEquals(EntityId.parse(c.subject()), v.subject(), "subject");
                            }
                        }
                    });
        }));
    }

    @TestFactory
    Stream<DynamicTest> verify_warmVerifierAnswersEveryVectorAsTheColdOneDoes_firstAndFromItsKeptAnalysis() {
        return manifest().cases().stream().map(c -> dynamicTest(c.name(), () -> {
            Verdict cold = VectorRunner.run(c, resource(c.file()), null);
            List<Verdict> warm = VectorRunner.runWarmTwice(c, resource(c.file()));
            assertEquals(comparable(cold), comparable(warm.get(0)), "first warm verification");
            assertEquals(comparable(cold), comparable(warm.get(1)), "verification from the kept analysis");
        }));
    }

    /** A verdict as text, caveats by what they say (Caveats compares by identity). */
    private static String comparable(Verdict v) {
        return v.valid() + " " + v.reason() + " " + v.detail() + " " + v.subject() + " " + v.expires() + " " + v.proof()
                + " " + v.conditions()
                + " " + v.policies().stream().map(e -> e.policy() + " " + e.caveats().describe() + " " + e.indirections()
                        + " " + e.validity() + " " + e.path()).toList();
    }

    @Test
    void vectorsAreUpToDate() throws IOException {
        VectorGenerator.VectorSet fresh = VectorGenerator.generate();
        Path dir = committedDirectory();
        Set<String> committed;
        try (Stream<Path> files = Files.list(dir)) {
            committed = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".pem") || n.endsWith(".der") || n.endsWith(".json"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> missing = new TreeSet<>(fresh.files().keySet());
        missing.removeAll(committed);
        Set<String> stale = new TreeSet<>(committed);
        stale.removeAll(fresh.files().keySet());
        assertTrue(missing.isEmpty() && stale.isEmpty(), "VectorGenerator writes " + missing + " and no longer writes "
                + stale + "; rerun it (see its javadoc)");
        for (Map.Entry<String, byte[]> e : fresh.files().entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())),
                    e.getKey() + " differs from what VectorGenerator writes; rerun it (see its javadoc) and review the diff");
        }
    }

    @Test
    void vectorsCoverEveryReasonCode() {
        Set<ReasonCode> seen = manifest().cases().stream().map(Manifest.Case::reason)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ReasonCode.class)));
        assertEquals(EnumSet.allOf(ReasonCode.class), seen, "a reason code without a golden vector");
    }

    @Test
    void manifestDescribesEachCaseOnce() {
        List<Manifest.Case> cases = manifest().cases();
        Set<String> names = new HashSet<>();
        for (Manifest.Case c : cases) {
            assertTrue(names.add(c.name()), "two cases named " + c.name());
            assertNotNull(c.story(), c.name());
            assertEquals(c.reason() == ReasonCode.VALID, c.valid(), c.name() + ": valid iff reason is VALID");
        }
        long invalid = cases.stream().filter(c -> !c.valid()).count();
        assertTrue(invalid >= 30, "only " + invalid + " invalid vectors");
        assertTrue(cases.stream().anyMatch(c -> c.valid() && c.name().equals("valid-four-hop")));
        assertTrue(cases.stream().anyMatch(c -> c.valid() && c.name().equals("valid-multi-path-union")));
    }

    private static Manifest manifest() {
        try (InputStream in = GoldenVectorsTest.class.getResourceAsStream(DIR + VectorGenerator.MANIFEST)) {
            assertNotNull(in, "no " + DIR + VectorGenerator.MANIFEST + " on the test classpath");
            return Manifest.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = GoldenVectorsTest.class.getResourceAsStream(DIR + file)) {
            assertNotNull(in, "the manifest names " + file + ", which is not in " + DIR);
            return in.readAllBytes();
        }
    }

    /**
     * The committed vectors: the module's source directory when the test runs in the module (as under Maven),
     * else the copy on the test classpath (this module's, not another module's test-jar).
     */
    private static Path committedDirectory() {
        Path source = Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "vectors");
        if (Files.isRegularFile(source.resolve(VectorGenerator.MANIFEST))) {
            return source;
        }
        try {
            return Path.of(GoldenVectorsTest.class.getResource(DIR + VectorGenerator.MANIFEST).toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
