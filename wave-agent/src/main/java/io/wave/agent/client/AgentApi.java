package io.wave.agent.client;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/**
 * The agent's REST API, one definition shared by the daemon and its clients: the request bodies, their
 * bounds, and the JSON mapper. Answers are JSON objects described in docs/agent.md and at
 * {@code /v1/openapi.json}; every failure is {@code {"code": ..., "message": ...}} with the HTTP status of
 * its {@link io.wave.crypto.ErrorCode}.
 */
public final class AgentApi {
    /** Where an agent listens unless told otherwise. */
    public static final int DEFAULT_PORT = 8410;
    /** A request body at most: a proof at its largest (64 KiB of DER, about 88 KiB as base64 or PEM) with its policies fits. */
    public static final int MAX_BODY_BYTES = 128 * 1024;
    /** Policies one request names at most: a request that needs more is a batch, not a check. */
    public static final int MAX_POLICIES = 64;
    /** Caveats one grant carries at most: each is a conjunct every verification evaluates. */
    public static final int MAX_CAVEATS = 32;
    /** Parameters one verification names at most (the values its caveats bound: setpoint, speed...). */
    public static final int MAX_PARAMS = 64;
    /** Objects one publish carries at most: as many as a ledger server takes in one write. */
    public static final int MAX_PUBLISH_OBJECTS = 1000;
    /**
     * A publish body at most: {@link #MAX_PUBLISH_OBJECTS} ordinary grants as base64 fit, as they do in a ledger
     * server's body; every other route keeps to {@link #MAX_BODY_BYTES}.
     */
    public static final int MAX_PUBLISH_BODY_BYTES = 1 << 20;
    /** The agent's API token, in its home, readable by its owner only. */
    public static final String TOKEN_FILE = "api-token";

    private AgentApi() {}

    /**
     * {@code POST /v1/verify}: a proof (PEM text or base64 DER), what it must grant, optionally for whom, and
     * optionally the request's parameters and model confidence, which caveats on the proof bound (exact
     * decimals, at most six places: more is refused, not rounded). Without them, a caveat on a parameter or a
     * confidence cannot be checked, and the answer is {@code CAVEAT_UNCHECKED} unless {@code conditional} is
     * true, which asks for a valid answer on the unchecked caveats, listed in its {@code conditions}.
     */
    public record VerifyRequest(String proof, List<String> policies, String subject,
            java.util.Map<String, java.math.BigDecimal> params, java.math.BigDecimal confidence, Boolean conditional) {
        public VerifyRequest(String proof, List<String> policies, String subject) {
            this(proof, policies, subject, null, null, null);
        }

        public VerifyRequest(String proof, List<String> policies, String subject,
                java.util.Map<String, java.math.BigDecimal> params, java.math.BigDecimal confidence) {
            this(proof, policies, subject, params, confidence, null);
        }
    }

    /** {@code POST /v1/prove}: build a proof that {@code subject} holds every policy. */
    public record ProveRequest(String subject, List<String> policies) {}

    /** {@code POST /v1/entities}: create an entity in the agent's keystore and publish it; expiry as 30d, 12h... */
    public record EntityRequest(String expiry) {}

    /**
     * {@code POST /v1/entities/import}: an entity made elsewhere, for the agent to hold: its secret in the plain
     * DER encoding ({@code EntitySecret.encodePlain}), base64 in JSON. Never printed: {@link #toString} redacts it.
     */
    public record ImportRequest(byte[] secret) {
        @Override
        public String toString() {
            return "ImportRequest[secret=redacted]";
        }
    }

    /**
     * {@code POST /v1/grants}: the attester (an entity the agent holds) grants the subject the policies.
     * {@code subjectEntity}, the subject's public entity as base64 DER, is published with the grant (as a local
     * {@code wave grant} publishes a subject given as a file), so that a proof for the subject can be built.
     */
    public record GrantRequest(String attester, String subject, List<String> policies, Integer indirections,
            String expiry, List<String> caveats, String subjectEntity) {
        /** A grant whose subject's entity is on the ledger already, or held by the agent. */
        public GrantRequest(String attester, String subject, List<String> policies, Integer indirections, String expiry,
                List<String> caveats) {
            this(attester, subject, policies, indirections, expiry, caveats, null);
        }
    }

    /**
     * {@code POST /v1/revocations}: exactly one of an attestation (its attester held by the agent), an entity
     * (held by the agent), or a name ({@code name}, {@code subject}, {@code attester}).
     */
    public record RevokeRequest(String attestation, String entity, String name, String subject, String attester) {}

    /** {@code POST /v1/names}: the attester (held by the agent) declares {@code name} for the subject. */
    public record NameRequest(String attester, String subject, String name, String expiry) {}

    /**
     * {@code POST /v1/objects}: WAVE objects to publish on the agent's ledger in one durable write, in order
     * (entities before what they sign), each verified by the ledger first.
     */
    public record PublishRequest(List<PublishedObject> objects) {}

    /** One object to publish: its kind ({@code entity}, {@code attestation}, {@code name}, {@code revocation}) and base64 DER. */
    public record PublishedObject(String kind, String der) {}

    /**
     * The mapper both sides use. {@code strict} (the daemon) refuses unknown fields, duplicate keys, trailing
     * tokens and coerced scalars; a client reads answers leniently, so a newer agent may add fields.
     */
    public static ObjectMapper mapper(boolean strict) {
        return JsonMapper.builder()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, strict)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, strict)
                .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, strict)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }
}
