package io.wave.agent.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.ledger.server.JsonHttp;
import io.wave.policy.ReasonCode;
import java.io.IOException;
import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Serves an {@link InferenceService} over HTTP, as JSON under {@code /v1} (see docs/ml.md):
 * {@code POST /v1/infer} with the caller's id, proof and features; {@code GET /v1/model} for what the
 * model takes. A request whose proof does not grant {@code ml:infer} on the model is answered 403 with
 * the verdict's reason code and costs no inference. Bounded like the ledger server: the body, the proof,
 * the features; loopback by default; every failure one body {@code {"code": ..., "message": ...}}.
 */
public final class InferenceServer implements AutoCloseable {
    /** A proof is at most {@link Limits#MAX_PROOF_BYTES} of DER; as PEM or base64 that is about 4/3 of it. */
    public static final int MAX_PROOF_CHARS = Limits.MAX_PROOF_BYTES / 3 * 4 + 8 * 1024;
    /** The proof, its caller and a full row of features as JSON numbers, with room to spare. */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    /** Decoded proofs kept by their text: callers send the same proof again and again. */
    public static final int PROOF_CACHE_ENTRIES = 1024;
    /** Only proofs of up to this much text are kept (a 4-hop proof is about 3,000 characters): 16 MiB at most in all. */
    public static final int MAX_CACHED_PROOF_CHARS = 16 * 1024;

    /** What a server is told before it starts. Defaults suit one machine: loopback, a free port. */
    public static final class Config {
        public String host = "127.0.0.1";
        public int port = 0;
        public int maxBodyBytes = MAX_BODY_BYTES;
        /** How long a connection may send nothing before it is timed out (a stalled body is answered 408). */
        public int idleTimeoutMillis = JsonHttp.IDLE_TIMEOUT_MILLIS;

        private Config() {}
    }

    private final InferenceService service;
    private final Config config;
    /** Package-visible so the fuzz test parses bodies exactly as the handler does. */
    final ObjectMapper json = JsonHttp.strictMapper();
    private final Map<String, UnverifiedProof> proofs = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, UnverifiedProof> eldest) {
            return size() > PROOF_CACHE_ENTRIES;
        }
    };
    private final Javalin app;

    /** The body of {@code POST /v1/infer}: features as an array in input order, or an object by name. */
    record InferRequest(String caller, String proof, JsonNode features) {}

    private InferenceServer(InferenceService service, Config config) {
        this.service = service;
        this.config = config;
        this.app = Javalin.create(c -> {
            JsonHttp.configure(c, config.host, config.port, config.maxBodyBytes, config.idleTimeoutMillis);
            c.router.mount(r -> r
                    .post("/v1/infer", this::infer)
                    .get("/v1/model", this::model)
                    // Javalin answers its own HttpResponseExceptions unless that class is named: one mapper for both.
                    .exception(HttpResponseException.class, this::fail)
                    .exception(Exception.class, this::fail));
        });
    }

    /**
     * A server for {@code service}; not yet listening.
     *
     * @throws WaveException BAD_ARGUMENT for a configuration out of range
     */
    public static InferenceServer create(InferenceService service, Consumer<Config> configure) {
        Objects.requireNonNull(service, "service");
        Config c = new Config();
        configure.accept(c);
        JsonHttp.checkListen(c.host, c.port);
        if (c.maxBodyBytes < 1024 || c.idleTimeoutMillis < 1) {
            throw WaveException.badArgument("a body limit of at least 1 KiB and an idle timeout");
        }
        return new InferenceServer(service, c);
    }

    /**
     * Starts listening.
     *
     * @throws WaveException UNAVAILABLE when the address cannot be bound
     */
    public InferenceServer start() {
        JsonHttp.start(app, config.host, config.port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public URI uri() {
        return JsonHttp.uri(config.host, port());
    }

    @Override
    public void close() {
        app.stop();
    }

    // ------------------------------------------------------------------ handlers

    private void infer(Context ctx) throws IOException {
        InferRequest req = read(ctx, InferRequest.class);
        InferenceService.Outcome o = outcome(req);
        if (!o.allowed()) {
            refuse(ctx, o);
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", service.modelEntity().toString());
        m.put("resource", service.ref().toString());
        m.put("caller", req.caller());
        m.put("output", o.prediction().label());
        m.put("confidence", Double.isNaN(o.prediction().confidence()) ? null : o.prediction().confidence());
        m.put("probabilities", o.prediction().probabilities());
        m.put("proof", o.verdict().proof().toString());
        m.put("expires", o.verdict().expires().toString());
        m.put("input", o.input().toString());
        answer(ctx, m);
    }

    /**
     * What a parsed request comes to: a refusal or the model's answer. Input that is not a request is an
     * exception; a proof that does not decode is a refusal, audited like any other.
     */
    InferenceService.Outcome outcome(InferRequest req) {
        if (req.caller() == null || req.proof() == null || req.features() == null) {
            throw WaveException.badArgument("an inference request has caller, proof and features");
        }
        EntityId caller;
        try {
            caller = EntityId.parse(req.caller());
        } catch (WaveException e) {
            throw WaveException.badArgument("caller: " + e.getMessage());
        }
        float[] features = features(req.features());
        UnverifiedProof proof;
        try {
            proof = proof(req.proof());
        } catch (WaveException e) {
            return service.refuseUndecodable(caller, e.code() == ErrorCode.TOO_LARGE ? ReasonCode.TOO_LARGE
                    : ReasonCode.MALFORMED, "proof: " + e.getMessage(), features);
        }
        return service.infer(caller, proof, features);
    }

    private void refuse(Context ctx, InferenceService.Outcome o) throws IOException {
        JsonHttp.error(ctx, json, 403, o.verdict().reason().name(), o.verdict().detail());
    }

    private void model(Context ctx) throws IOException {
        ModelSignature s = service.signature();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", service.modelEntity().toString());
        m.put("resource", service.ref().toString());
        m.put("requires", service.ref().inferPolicy().toString());
        m.put("input", s.input());
        m.put("features", s.featureCount());
        m.put("feature_names", s.featureNames());
        m.put("labels", s.labels());
        answer(ctx, m);
    }

    // ------------------------------------------------------------------ parsing

    /** A row from a JSON array (in input order) or object (by feature name, every name once). */
    float[] features(JsonNode n) {
        return Rows.features(n, service.signature());
    }

    /** The proof from PEM text or base64 DER, decoded once per distinct text. */
    UnverifiedProof proof(String text) {
        if (text.length() > MAX_PROOF_CHARS) {
            throw WaveException.tooLarge("a proof is at most " + MAX_PROOF_CHARS + " characters");
        }
        synchronized (proofs) {
            UnverifiedProof p = proofs.get(text);
            if (p != null) {
                return p;
            }
        }
        UnverifiedProof p = UnverifiedProof.decode(der(text));
        if (text.length() <= MAX_CACHED_PROOF_CHARS) {
            synchronized (proofs) {
                proofs.put(text, p);
            }
        }
        return p;
    }

    private static byte[] der(String text) {
        String t = text.strip();
        // The text of a proof file as 'wave prove' writes it: comment lines, then the PEM block.
        if (t.contains("-----BEGIN ")) {
            for (Pem.Block b : Pem.decodeAll(t)) {
                if (b.type().equals(Pem.PROOF)) {
                    return b.der();
                }
            }
            throw WaveException.malformed("the PEM text holds no " + Pem.PROOF + " block");
        }
        try {
            return (t.indexOf('-') >= 0 || t.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(t);
        } catch (IllegalArgumentException e) {
            throw WaveException.malformed("the proof is neither PEM nor base64 DER");
        }
    }

    private <T> T read(Context ctx, Class<T> type) throws IOException {
        return JsonHttp.read(ctx, config.maxBodyBytes, json, type);
    }

    private void answer(Context ctx, Object value) throws IOException {
        JsonHttp.answer(ctx, json, value);
    }

    private void fail(Exception e, Context ctx) {
        JsonHttp.fail(e, ctx, json);
    }
}
