package io.wave.policy.vectors;

import io.wave.crypto.EntityId;
import io.wave.crypto.Pem;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.RevocationSecret;
import io.wave.policy.CaveatContext;
import io.wave.policy.GrantCache;
import io.wave.policy.Policy;
import io.wave.policy.ProofVerifier;
import io.wave.policy.Request;
import io.wave.policy.Verdict;
import io.wave.policy.testing.TestRevocations;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Runs one manifest case through {@link ProofVerifier#verify(byte[], Request)}, exactly as a device would. */
public final class VectorRunner {
    private VectorRunner() {}

    /** The verdict for a case whose file holds {@code content}; with {@code cache} non-null, through that cache. */
    public static Verdict run(Manifest.Case c, byte[] content, GrantCache cache) {
        ProofVerifier verifier = ProofVerifier.create(Clock.fixed(Instant.ofEpochSecond(c.now()), ZoneOffset.UTC),
                revocations(c)).unknownRevocationIsRevoked(!Boolean.FALSE.equals(c.unknownRevocationIsRevoked()));
        if (cache != null) {
            verifier = verifier.withCache(cache);
        }
        return verifier.verify(der(c.file(), content), request(c));
    }

    /**
     * The verdicts for a case verified twice by one warm verifier (a grant cache, so proof analyses are
     * kept): the second answer comes from the kept analysis.
     */
    public static List<Verdict> runWarmTwice(Manifest.Case c, byte[] content) {
        ProofVerifier verifier = ProofVerifier.create(Clock.fixed(Instant.ofEpochSecond(c.now()), ZoneOffset.UTC),
                revocations(c)).unknownRevocationIsRevoked(!Boolean.FALSE.equals(c.unknownRevocationIsRevoked()))
                .withCache(new io.wave.policy.GrantCache(100));
        byte[] der = der(c.file(), content);
        return List.of(verifier.verify(der, request(c)), verifier.verify(der, request(c)));
    }

    /** The proof bytes in a vector file: the one {@code WAVE PROOF} block of a {@code .pem}, else the raw bytes. */
    public static byte[] der(String file, byte[] content) {
        if (!file.endsWith(".pem")) {
            return content;
        }
        List<Pem.Block> blocks = Pem.decodeAll(new String(content, StandardCharsets.US_ASCII));
        if (blocks.size() != 1 || !blocks.get(0).type().equals(Pem.PROOF)) {
            throw new IllegalStateException(file + " must hold exactly one " + Pem.PROOF + " block");
        }
        return blocks.get(0).der();
    }

    public static Request request(Manifest.Case c) {
        List<Policy> required = c.required().stream().map(Policy::parse).toList();
        EntityId subject = c.subject() == null ? null : EntityId.parse(c.subject());
        CaveatContext context = null;
        if (c.context() != null) {
            context = CaveatContext.ofDecimals(c.context().params() == null ? java.util.Map.of() : c.context().params(),
                    c.context().confidence());
        }
        return new Request(required, subject, context, Boolean.TRUE.equals(c.conditional()));
    }

    public static TestRevocations revocations(Manifest.Case c) {
        TestRevocations view = new TestRevocations();
        for (String s : nonNull(c.revoked())) {
            view.revoke(commitment(s));
        }
        for (String s : nonNull(c.revokedSecrets())) {
            view.revoke(RevocationSecret.of(HexFormat.of().parseHex(s)));
        }
        for (String s : nonNull(c.unknownRevocation())) {
            view.unknown(commitment(s));
        }
        return view;
    }

    private static RevocationCommitment commitment(String printed) {
        RevocationCommitment c = RevocationCommitment.of(Base64.getUrlDecoder().decode(printed));
        if (!c.toString().equals(printed)) {
            throw new IllegalStateException("commitment " + printed + " is not in its printed form");
        }
        return c;
    }

    private static List<String> nonNull(List<String> l) {
        return l == null ? List.of() : l;
    }
}
