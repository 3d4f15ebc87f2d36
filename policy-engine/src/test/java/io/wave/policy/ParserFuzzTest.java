package io.wave.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Caveat;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Coverage-guided fuzzing (Jazzer) of the text parsers users type into: policies, caveats, resource patterns
 * and model references. The property: a parser either refuses with a {@link WaveException} or returns a value
 * whose text form parses back to an equal value. Under {@code mvn test} each target replays its committed
 * inputs ({@code ParserFuzzTestInputs/<target>/}); with {@code JAZZER_FUZZ=1} one target fuzzes
 * (docs/fuzzing.md).
 */
class ParserFuzzTest {

    @FuzzTest
    void policy(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Policy p = parsed(Policy::parse, text);
        if (p != null) {
            assertEquals(p, Policy.parse(p.toString()));
            assertEquals(p.toString(), Policy.parse(p.toString()).toString());
        }
    }

    @FuzzTest
    void caveat(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Caveat c = parsed(Caveats::parse, text);
        if (c != null) {
            assertEquals(c, Caveats.parse(c.toString()));
        }
    }

    @FuzzTest
    void resourcePattern(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        ResourcePattern r = parsed(ResourcePattern::parse, text);
        if (r != null) {
            assertEquals(r, ResourcePattern.parse(r.toString()));
            assertEquals(text, r.toString());
        }
    }

    @FuzzTest
    void modelRef(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        ModelRef m = parsed(ModelRef::parse, text);
        if (m != null) {
            assertEquals(m, ModelRef.parse(m.toString()));
        }
    }

    /** The parsed value, or null when the parser refused with the typed error; anything else propagates. */
    private static <T> T parsed(Function<String, T> parser, String text) {
        try {
            return parser.apply(text);
        } catch (WaveException refused) {
            return null;
        }
    }
}
