package io.wave.agent.ml;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.policy.ReasonCode;
import java.io.IOException;
import java.io.InputStream;
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
    static final String JSON_TYPE = "application/json";

    /** What a server is told before it starts. Defaults suit one machine: loopback, a free port. */
    public static final class Config {
        public String host = "127.0.0.1";
        public int port = 0;
        public int maxBodyBytes = MAX_BODY_BYTES;

        private Config() {}
    }

    private final InferenceService service;
    private final Config config;
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
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
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
            c.jetty.defaultHost = config.host;
            c.jetty.defaultPort = config.port;
            c.http.maxRequestSize = config.maxBodyBytes;
            c.router.mount(r -> r
                    .post("/v1/infer", this::infer)
                    .get("/v1/model", this::model)
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
        if (c.host == null || c.host.isBlank() || c.port < 0 || c.port > 65535) {
            throw WaveException.badArgument("listen address " + c.host + ":" + c.port + " is not a host and a port");
        }
        if (c.maxBodyBytes < 1024) {
            throw WaveException.badArgument("a body limit of at least 1 KiB");
        }
        return new InferenceServer(service, c);
    }

    /**
     * Starts listening.
     *
     * @throws WaveException UNAVAILABLE when the address cannot be bound
     */
    public InferenceServer start() {
        try {
            app.start();
        } catch (RuntimeException e) {
            app.stop();
            throw new WaveException(ErrorCode.UNAVAILABLE, "cannot listen on " + config.host + ":" + config.port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    public URI uri() {
        String host = config.host.contains(":") ? "[" + config.host + "]" : config.host;
        return URI.create("http://" + host + ":" + port());
    }

    @Override
    public void close() {
        app.stop();
    }

    // ------------------------------------------------------------------ handlers

    private void infer(Context ctx) throws IOException {
        InferRequest req = read(ctx, InferRequest.class);
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
        InferenceService.Outcome o;
        UnverifiedProof proof;
        try {
            proof = proof(req.proof());
        } catch (WaveException e) {
            proof = null;
            o = service.refuseUndecodable(caller, e.code() == ErrorCode.TOO_LARGE ? ReasonCode.TOO_LARGE : ReasonCode.MALFORMED,
                    "proof: " + e.getMessage(), features);
            refuse(ctx, o);
            return;
        }
        o = service.infer(caller, proof, features);
        if (!o.allowed()) {
            refuse(ctx, o);
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", service.modelEntity().toString());
        m.put("resource", service.ref().toString());
        m.put("caller", caller.toString());
        m.put("output", o.prediction().label());
        m.put("confidence", Double.isNaN(o.prediction().confidence()) ? null : o.prediction().confidence());
        m.put("probabilities", o.prediction().probabilities());
        m.put("proof", o.verdict().proof().toString());
        m.put("expires", o.verdict().expires().toString());
        m.put("input", o.input().toString());
        answer(ctx, m);
    }

    private void refuse(Context ctx, InferenceService.Outcome o) throws IOException {
        ctx.status(403);
        answer(ctx, Map.of("code", o.verdict().reason().name(), "message", o.verdict().detail()));
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
        ModelSignature s = service.signature();
        if (n.isArray()) {
            if (n.size() == 0 || n.size() > ModelSignature.MAX_FEATURES) {
                throw WaveException.badArgument("features: 1 to " + ModelSignature.MAX_FEATURES + " numbers, not " + n.size());
            }
            float[] f = new float[n.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = number(n.get(i), "features[" + i + "]");
            }
            return f;
        }
        if (n.isObject()) {
            List<String> names = s.featureNames();
            if (names.isEmpty()) {
                throw WaveException.badArgument("this model does not name its features: give them as an array of "
                        + (s.featureCount() == -1 ? "numbers" : s.featureCount() + " numbers"));
            }
            if (n.size() != names.size()) {
                throw WaveException.badArgument("features: the model takes " + String.join(", ", names));
            }
            float[] f = new float[names.size()];
            for (int i = 0; i < f.length; i++) {
                JsonNode v = n.get(names.get(i));
                if (v == null) {
                    throw WaveException.badArgument("features: '" + names.get(i) + "' is missing (the model takes "
                            + String.join(", ", names) + ")");
                }
                f[i] = number(v, "features." + names.get(i));
            }
            return f;
        }
        throw WaveException.badArgument("features is an array of numbers or an object of numbers by name");
    }

    private static float number(JsonNode v, String where) {
        if (!v.isNumber()) {
            throw WaveException.badArgument(where + " is not a number");
        }
        float f = v.floatValue();
        if (!Float.isFinite(f)) {
            throw WaveException.badArgument(where + " is out of range for a float");
        }
        return f;
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
        synchronized (proofs) {
            proofs.put(text, p);
        }
        return p;
    }

    private static byte[] der(String text) {
        String t = text.strip();
        if (t.startsWith("-----BEGIN ")) {
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
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxBodyBytes) {
            throw WaveException.tooLarge("request body of " + declared + " bytes; at most " + config.maxBodyBytes);
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(config.maxBodyBytes + 1);
        }
        if (body.length > config.maxBodyBytes) {
            throw WaveException.tooLarge("request body over " + config.maxBodyBytes + " bytes");
        }
        if (body.length == 0) {
            throw WaveException.malformed("the body is empty; it should be JSON");
        }
        return json.readValue(body, type);
    }

    private void answer(Context ctx, Object value) throws IOException {
        ctx.contentType(JSON_TYPE).result(json.writeValueAsBytes(value));
    }

    private void fail(Exception e, Context ctx) {
        WaveException w = asWaveException(e);
        ctx.status(w.code().httpStatus());
        try {
            ctx.contentType(JSON_TYPE).result(json.writeValueAsBytes(Map.of("code", w.code().name(), "message", w.getMessage())));
        } catch (JsonProcessingException impossible) {
            ctx.result("");
        }
    }

    private static WaveException asWaveException(Exception e) {
        if (e instanceof WaveException w) {
            return w;
        }
        if (e instanceof HttpResponseException h) {
            return switch (h.getStatus()) {
                case 404 -> new WaveException(ErrorCode.NOT_FOUND, "no such route; the API is POST /v1/infer and GET /v1/model");
                case 405 -> WaveException.badArgument("method not allowed: POST /v1/infer, GET /v1/model");
                case 413 -> WaveException.tooLarge("request body too large");
                default -> WaveException.badArgument("HTTP " + h.getStatus());
            };
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return WaveException.badArgument("unknown field '" + shorten(u.getPropertyName()) + "'; the fields are caller, proof, features");
        }
        if (e instanceof MismatchedInputException) {
            return WaveException.badArgument("a field is of the wrong type; caller and proof are strings, features an array or object");
        }
        if (e instanceof StreamReadException r) {
            return WaveException.malformed("the body is not JSON: " + shorten(r.getOriginalMessage()));
        }
        if (e instanceof JacksonException j) {
            return WaveException.malformed("the body is not the JSON this route takes: " + shorten(j.getOriginalMessage()));
        }
        return new WaveException(ErrorCode.IO_ERROR, "internal error (" + e.getClass().getSimpleName() + ")");
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String line = s.lines().findFirst().orElse("");
        return line.length() <= 120 ? line : line.substring(0, 120) + "...";
    }
}
