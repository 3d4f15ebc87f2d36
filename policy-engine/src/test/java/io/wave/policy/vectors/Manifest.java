package io.wave.policy.vectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.policy.ReasonCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The index of the golden proof vectors ({@code vectors/manifest.json}): for each case the file that holds
 * the proof, the request it is checked against, the world it is checked in (the time, the caveat context,
 * what is revoked) and the verdict expected.
 *
 * <p>A file ending in {@code .pem} holds one {@code WAVE PROOF} block; any other file is raw bytes, used
 * where the case is about the encoding itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(String about, List<Case> cases) {

    /**
     * One vector.
     *
     * @param name      unique, also the test's display name
     * @param story     why the expected verdict is the right one
     * @param file      the proof file, relative to {@code vectors/}
     * @param required  the request's policies, {@code PSET:PERM[,PERM]@NAMESPACE/RESOURCE}
     * @param subject   the entity asking, or absent to accept whichever the proof names
     * @param now       the verifier's clock, epoch seconds
     * @param context   the command's parameters and confidence, or absent when there is no use to check yet
 * @param conditional with no context, whether the request accepts a verdict valid on conditions (absent: false)
     * @param revoked   revocation commitments that are revoked (unpadded base64url, as printed)
     * @param revokedSecrets revocation secrets (hex) that have been published; what they commit to is revoked
     * @param unknownRevocation commitments whose status the revocation view cannot tell
     * @param unknownRevocationIsRevoked how the verifier treats an unknown status; absent means true (fail closed)
     * @param valid     the expected {@link io.wave.policy.Verdict#valid()}
     * @param reason    the expected reason code
     * @param expires   for a valid verdict, when it stops holding (epoch seconds), if the case pins it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Case(String name, String story, String file, List<String> required, String subject, long now,
            Context context, Boolean conditional, List<String> revoked, List<String> revokedSecrets, List<String> unknownRevocation,
            Boolean unknownRevocationIsRevoked, boolean valid, ReasonCode reason, Long expires) {
        public Case {
            // Optional fields may be absent; these may not, or a typo would silently make a weaker case.
            if (name == null || story == null || file == null || required == null || required.isEmpty()
                    || reason == null || now <= 0) {
                throw new IllegalArgumentException("case " + name + ": name, story, file, required, now and reason "
                        + "are required");
            }
        }
    }

    /** A {@link io.wave.policy.CaveatContext}: parameters, and a confidence when there is one; exact decimals. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Context(Map<String, BigDecimal> params, BigDecimal confidence) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public static Manifest read(InputStream in) {
        try {
            return JSON.readValue(in, Manifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pretty-printed with {@code \n} line ends on every platform, so the bytes are the same everywhere. */
    public byte[] toJson() {
        DefaultIndenter lf = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(lf);
        printer.indentArraysWith(lf);
        try {
            String text = JSON.writer(printer).writeValueAsString(this) + "\n";
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
