package io.wave.agent.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wave.crypto.EntityId;
import io.wave.crypto.ProofId;
import io.wave.crypto.objects.ParamValue;
import io.wave.ledger.Ledger;
import io.wave.policy.CaveatContext;
import io.wave.policy.EffectivePolicy;
import io.wave.policy.GrantCache;
import io.wave.policy.Policy;
import io.wave.policy.ProofVerifier;
import io.wave.policy.ReasonCode;
import io.wave.policy.Request;
import io.wave.policy.Verdict;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a Java service checks a proof in one call, in process or through an agent:
 *
 * <pre>
 * ProofCheck check = ProofCheck.local(ledger, Clock.systemUTC());       // or ProofCheck.agent(URI.create("http://127.0.0.1:8410"))
 * Verification v = check.verify(proofDer, List.of(Policy.parse("device:actuate@NS/building1/lamp")), caller, context);
 * if (!v.valid()) refuse(v.reason());
 * </pre>
 *
 * A refusal is a value ({@link Verification#valid()} false with a {@link ReasonCode}); bytes that are not a
 * proof are a MALFORMED or TOO_LARGE refusal too. An agent that cannot be reached throws UNAVAILABLE.
 *
 * <p>Caveats on a parameter or a confidence are checked against the use's {@link CaveatContext}. Without one,
 * a proof whose covering path carries such a caveat is refused as {@link ReasonCode#CAVEAT_UNCHECKED}: no
 * answer is valid over a caveat nobody checked. {@link #verifyConditionally} asks instead for an answer valid
 * on those caveats, which lists them ({@link Verification#conditions()}) for the caller to enforce.
 */
public interface ProofCheck {
    /**
     * The one check every other method is: {@code context} null means no use to check against, and then
     * {@code conditional} says whether unchecked caveats may still give a (conditional) valid answer.
     */
    Verification check(byte[] proofDer, List<Policy> required, EntityId subject, CaveatContext context,
            boolean conditional);

    /**
     * Whether {@code proofDer} grants every one of {@code required} now, to {@code subject} (any subject when null),
     * with nothing left unchecked: a parameter or confidence caveat on the covering path refuses it
     * ({@code CAVEAT_UNCHECKED}).
     */
    default Verification verify(byte[] proofDer, List<Policy> required, EntityId subject) {
        return check(proofDer, required, subject, null, false);
    }

    /** As {@link #verify(byte[], List, EntityId)}, for a use with these parameters and confidence: every caveat decided. */
    default Verification verify(byte[] proofDer, List<Policy> required, EntityId subject, CaveatContext context) {
        return check(proofDer, required, subject, java.util.Objects.requireNonNull(context, "context"), false);
    }

    /** As {@link #verify(byte[], List, EntityId)}, but valid on caveats it cannot check, which the answer lists. */
    default Verification verifyConditionally(byte[] proofDer, List<Policy> required, EntityId subject) {
        return check(proofDer, required, subject, null, true);
    }

    /**
     * In process: signatures, chain and policy checked here, revocations asked of {@code ledger} (failing
     * closed when it cannot answer), verified attestations cached by id.
     */
    static ProofCheck local(Ledger ledger, Clock clock) {
        ProofVerifier verifier = ProofVerifier.create(clock, ledger.revocationView())
                .withCache(new GrantCache(GrantCache.DEFAULT_CAPACITY));
        return (der, required, subject, context, conditional) ->
                of(verifier.verify(der, new Request(required, subject, context, conditional)));
    }

    /** Through the agent at {@code agent}: one HTTP request, answered from its cache when it can. */
    static ProofCheck agent(URI agent) {
        AgentClient client = AgentClient.of(agent, null);
        return (der, required, subject, context, conditional) -> {
            List<String> texts = required.stream().map(Policy::toString).toList();
            JsonNode v;
            try {
                v = client.verify(new AgentApi.VerifyRequest(Base64.getEncoder().encodeToString(der), texts,
                        subject == null ? null : subject.toString(), context == null ? null : decimals(context.params()),
                        context == null || context.confidence() == null ? null : context.confidence().toBigDecimal(),
                        conditional ? Boolean.TRUE : null));
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

    private static Map<String, BigDecimal> decimals(Map<String, ParamValue.Number> params) {
        Map<String, BigDecimal> out = new TreeMap<>();
        params.forEach((k, n) -> out.put(k, n.toBigDecimal()));
        return out;
    }

    /** A verdict as a service sees it. */
    static Verification of(Verdict v) {
        List<String> policies = new ArrayList<>();
        for (EffectivePolicy p : v.policies()) {
            policies.add(p.policy().toString());
        }
        return new Verification(v.valid(), v.reason(), v.detail(), v.expires(), v.subject(), v.proof(), policies,
                v.conditions());
    }

    /** An agent's verdict answer as a service sees it. */
    static Verification of(JsonNode v) {
        List<String> policies = new ArrayList<>();
        for (JsonNode p : v.path("policies")) {
            policies.add(p.path("policy").asText());
        }
        List<String> conditions = new ArrayList<>();
        for (JsonNode c : v.path("conditions")) {
            conditions.add(c.asText());
        }
        return new Verification(v.path("valid").asBoolean(), ReasonCode.valueOf(v.path("reason").asText()),
                v.path("detail").asText(), text(v, "expires") == null ? null : Instant.parse(text(v, "expires")),
                text(v, "subject") == null ? null : EntityId.parse(text(v, "subject")),
                text(v, "proof") == null ? null : ProofId.parse(text(v, "proof")), policies, conditions);
    }

    private static String text(JsonNode v, String field) {
        JsonNode n = v.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
