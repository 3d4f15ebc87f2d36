package io.wave.agent.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wave.crypto.EntityId;
import io.wave.crypto.ProofId;
import io.wave.ledger.Ledger;
import io.wave.policy.EffectivePolicy;
import io.wave.policy.GrantCache;
import io.wave.policy.Policy;
import io.wave.policy.ProofVerifier;
import io.wave.policy.ReasonCode;
import io.wave.policy.Request;
import io.wave.policy.Verdict;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * How a Java service checks a proof in one call, in process or through an agent:
 *
 * <pre>
 * ProofCheck check = ProofCheck.local(ledger, Clock.systemUTC());       // or ProofCheck.agent(URI.create("http://127.0.0.1:8410"))
 * Verification v = check.verify(proofDer, List.of(Policy.parse("device:actuate@NS/building1/lamp")), caller);
 * if (!v.valid()) refuse(v.reason());
 * </pre>
 *
 * A refusal is a value ({@link Verification#valid()} false with a {@link ReasonCode}); bytes that are not a
 * proof are a MALFORMED or TOO_LARGE refusal too. An agent that cannot be reached throws UNAVAILABLE.
 */
public interface ProofCheck {
    /**
     * Whether {@code proofDer} grants every one of {@code required} now, to {@code subject} (any subject when null).
     */
    Verification verify(byte[] proofDer, List<Policy> required, EntityId subject);

    /**
     * In process: signatures, chain and policy checked here, revocations asked of {@code ledger} (failing
     * closed when it cannot answer), verified attestations cached by id.
     */
    static ProofCheck local(Ledger ledger, Clock clock) {
        ProofVerifier verifier = ProofVerifier.create(clock, ledger.revocationView())
                .withCache(new GrantCache(GrantCache.DEFAULT_CAPACITY));
        return (der, required, subject) -> of(verifier.verify(der, new Request(required, subject, null)));
    }

    /** Through the agent at {@code agent}: one HTTP request, answered from its cache when it can. */
    static ProofCheck agent(URI agent) {
        AgentClient client = AgentClient.of(agent, null);
        return (der, required, subject) -> {
            List<String> texts = required.stream().map(Policy::toString).toList();
            io.wave.crypto.WaveException refused = null;
            JsonNode v;
            try {
                v = client.verify(Base64.getEncoder().encodeToString(der), texts, subject == null ? null : subject.toString());
            } catch (io.wave.crypto.WaveException e) {
                // The agent refuses bytes that are not a proof as a request error; here that is a refusal, as locally.
                if (e.code() == io.wave.crypto.ErrorCode.MALFORMED || e.code() == io.wave.crypto.ErrorCode.TOO_LARGE) {
                    return new Verification(false, ReasonCode.valueOf(e.code().name()), e.getMessage(), null, null, null,
                            List.of());
                }
                throw e;
            }
            return of(v);
        };
    }

    /** A verdict as a service sees it. */
    static Verification of(Verdict v) {
        List<String> policies = new ArrayList<>();
        for (EffectivePolicy p : v.policies()) {
            policies.add(p.policy().toString());
        }
        return new Verification(v.valid(), v.reason(), v.detail(), v.expires(), v.subject(), v.proof(), policies);
    }

    /** An agent's verdict answer as a service sees it. */
    static Verification of(JsonNode v) {
        List<String> policies = new ArrayList<>();
        for (JsonNode p : v.path("policies")) {
            policies.add(p.path("policy").asText());
        }
        return new Verification(v.path("valid").asBoolean(), ReasonCode.valueOf(v.path("reason").asText()),
                v.path("detail").asText(), text(v, "expires") == null ? null : Instant.parse(text(v, "expires")),
                text(v, "subject") == null ? null : EntityId.parse(text(v, "subject")),
                text(v, "proof") == null ? null : ProofId.parse(text(v, "proof")), policies);
    }

    private static String text(JsonNode v, String field) {
        JsonNode n = v.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
