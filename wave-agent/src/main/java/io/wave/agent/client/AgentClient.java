package io.wave.agent.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Talks to a running agent over its REST API. Answers come back as the JSON the agent sent; failures as
 * {@link WaveException}s with the code from the agent's error body, so a caller (the CLI) reports them exactly
 * as if it had run the operation itself. An agent that cannot be reached is UNAVAILABLE. Thread-safe.
 */
public final class AgentClient {
    /** Environment variable naming the agent to use. */
    public static final String ENV = "WAVE_AGENT";
    /** Environment variable holding the agent's API token. */
    public static final String ENV_TOKEN = "WAVE_AGENT_TOKEN";
    /** A request waits this long for its answer: a proof search is bounded by 5 s, a synced publish by less. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** An audit reads and hashes the whole ledger: a million entries take minutes on a slow disk. */
    static final Duration AUDIT_TIMEOUT = Duration.ofMinutes(30);
    /** Bytes of an answer read at most: a full graph listing fits. */
    static final int MAX_ANSWER_BYTES = 64 << 20;

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper json = AgentApi.mapper(false);

    private AgentClient(URI base, String token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * A client for the agent at {@code base} ({@code http://127.0.0.1:8410}); {@code token} is its API token,
     * needed only by the routes that change state (null when the caller has none).
     */
    public static AgentClient of(URI base, String token) {
        Objects.requireNonNull(base, "base");
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw WaveException.badArgument("agent '" + base + "' is not http://HOST:PORT");
        }
        String b = base.toString();
        return new AgentClient(URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b), token);
    }

    public URI uri() {
        return base;
    }

    /** {@code POST /v1/verify}: the verdict, valid or not. */
    public JsonNode verify(String proof, List<String> policies, String subject) {
        return verify(new AgentApi.VerifyRequest(proof, policies, subject));
    }

    /** {@code POST /v1/verify} with parameters, confidence or a request for a conditional answer. */
    public JsonNode verify(AgentApi.VerifyRequest request) {
        return call("POST", "/v1/verify", request, false);
    }

    /** {@code POST /v1/prove}: the proof (base64 DER in {@code der}); NO_PROOF when none exists. */
    public JsonNode prove(String subject, List<String> policies) {
        return call("POST", "/v1/prove", new AgentApi.ProveRequest(subject, policies), false);
    }

    /**
     * Proofs fetched from this agent ({@code POST /v1/prove}), for a {@link io.wave.device.CommandClient}
     * that has none at hand.
     */
    public io.wave.device.ProofSource proofSource() {
        return (sender, wanted) -> {
            JsonNode r = prove(sender.toString(), wanted.stream().map(io.wave.policy.Policy::toString).toList());
            try {
                return io.wave.crypto.objects.UnverifiedProof.decode(java.util.Base64.getDecoder().decode(r.path("der").asText()));
            } catch (IllegalArgumentException notBase64) {
                throw WaveException.malformed("the agent's proof is not base64: " + notBase64.getMessage());
            }
        };
    }

    /**
     * Who may answer a {@link io.wave.device.CommandClient}'s commands, as this agent sees it: the agent
     * builds the device's proof of {@code device:serve} on the resource ({@code POST /v1/prove}) and verifies
     * it for the device with no parameters ({@code POST /v1/verify}, so a caveat on a parameter refuses it).
     * No proof, or an invalid one, is a refusal; an agent that cannot be reached throws UNAVAILABLE, which
     * the client counts as not entitled.
     */
    public io.wave.device.ServingCheck servingCheck() {
        return (device, namespace, resource) -> {
            String serve = io.wave.device.ServingCheck.servePolicy(namespace, resource).toString();
            JsonNode proved;
            try {
                proved = prove(device.toString(), List.of(serve));
            } catch (WaveException e) {
                if (e.code() == ErrorCode.NO_PROOF || e.code() == ErrorCode.NOT_FOUND) {
                    return io.wave.device.ServingCheck.Entitlement.refused(e.code() + ": " + e.getMessage());
                }
                throw e;
            }
            JsonNode v = call("POST", "/v1/verify", new AgentApi.VerifyRequest(proved.path("der").asText(),
                    List.of(serve), device.toString(), java.util.Map.of(), null), false);
            JsonNode expires = v.get("expires");
            if (v.path("valid").asBoolean(false) && expires != null && expires.isTextual()) {
                try {
                    return io.wave.device.ServingCheck.Entitlement.until(java.time.Instant.parse(expires.asText()),
                            "proof " + v.path("proof").asText() + " grants " + serve + " (agent " + base + ")");
                } catch (java.time.format.DateTimeParseException e) {
                    throw WaveException.malformed("the agent's verdict has no readable expiry: " + expires.asText());
                }
            }
            return io.wave.device.ServingCheck.Entitlement.refused(v.path("reason").asText("INVALID") + ": "
                    + v.path("detail").asText(""));
        };
    }

    public JsonNode entity(String id) {
        return call("GET", "/v1/entities/" + io.wave.crypto.EntityId.parse(id), null, false);
    }

    public JsonNode attestation(String id) {
        return call("GET", "/v1/attestations/" + io.wave.crypto.AttestationId.parse(id), null, false);
    }

    /** {@code GET /v1/resolve/{name}}; the name is checked here, so it can only ever be one path segment. */
    public JsonNode resolve(String name) {
        if (name.length() > io.wave.crypto.objects.Limits.MAX_NAME_CHARS
                || !io.wave.crypto.objects.NameDeclaration.NAME.matcher(name).matches()) {
            throw WaveException.badArgument("'" + name + "' is not a name: dot-separated lowercase labels");
        }
        return call("GET", "/v1/resolve/" + name, null, false);
    }

    public JsonNode graph() {
        return call("GET", "/v1/graph", null, false);
    }

    /** The graph as Graphviz DOT. */
    public String graphDot() {
        return new String(send("GET", "/v1/graph?format=dot", null, false, TIMEOUT), StandardCharsets.UTF_8);
    }

    public JsonNode createEntity(AgentApi.EntityRequest req) {
        return call("POST", "/v1/entities", req, true);
    }

    public JsonNode grant(AgentApi.GrantRequest req) {
        return call("POST", "/v1/grants", req, true);
    }

    public JsonNode revoke(AgentApi.RevokeRequest req) {
        return call("POST", "/v1/revocations", req, true);
    }

    public JsonNode name(AgentApi.NameRequest req) {
        return call("POST", "/v1/names", req, true);
    }

    /**
     * {@code POST /v1/entities/import}: the agent holds {@code secret} from now on (sealed under its own
     * passphrase) and publishes its entity; {@code {"id", "entity", "added"}}. The secret crosses the
     * connection, so this is refused over plain HTTP to anything but a loopback address.
     */
    public JsonNode importEntity(io.wave.crypto.objects.EntitySecret secret) {
        if ("http".equals(base.getScheme()) && !loopback(base.getHost())) {
            throw WaveException.badArgument("the agent at " + base + " is not on this machine, and an entity secret "
                    + "would cross the network in the clear: reach it over https (TLS in front of the agent)");
        }
        byte[] plain = secret.encodePlain();
        try {
            return call("POST", "/v1/entities/import", new AgentApi.ImportRequest(plain), true);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    private static boolean loopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new WaveException(ErrorCode.UNAVAILABLE, "cannot resolve the agent's host " + host);
        }
    }

    /** {@code POST /v1/objects}: {head?, objects: [{kind, id, index}]}, as {@code wave publish --json} prints. */
    public JsonNode publish(AgentApi.PublishRequest req) {
        return call("POST", "/v1/objects", req, true);
    }

    /** {@code GET /v1/ledger/status}: the agent's ledger's head, checked by the agent, as {@code wave ledger status --json}. */
    public JsonNode ledgerStatus() {
        return call("GET", "/v1/ledger/status", null, false);
    }

    /** {@code GET /v1/ledger/audit} (with the token): the agent audits its ledger, as {@code wave ledger audit --json}. */
    public JsonNode ledgerAudit() {
        return call("GET", "/v1/ledger/audit", null, true, AUDIT_TIMEOUT);
    }

    private JsonNode call(String method, String path, Object body, boolean guarded) {
        return call(method, path, body, guarded, TIMEOUT);
    }

    private JsonNode call(String method, String path, Object body, boolean guarded, Duration timeout) {
        byte[] answer = send(method, path, body, guarded, timeout);
        try {
            return json.readTree(answer);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.UNAVAILABLE, "the agent at " + base + " answered " + path + " with something "
                    + "that is not JSON");
        }
    }

    private byte[] send(String method, String path, Object body, boolean guarded, Duration timeout) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/json");
        // Wiped once sent: a body may carry an entity secret.
        byte[] encoded = new byte[0];
        try {
            if (body != null) {
                encoded = json.writeValueAsBytes(body);
                rb.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(encoded));
            } else {
                rb.method(method, HttpRequest.BodyPublishers.noBody());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a request", e);
        }
        if (guarded && token != null) {
            rb.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> r;
        byte[] answer;
        try {
            r = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                answer = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
        } catch (HttpTimeoutException e) {
            throw new WaveException(ErrorCode.UNAVAILABLE, "the agent at " + base + " did not answer in " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new WaveException(ErrorCode.UNAVAILABLE, "cannot reach the agent at " + base + " (is it running?)");
        } catch (IOException e) {
            throw new WaveException(ErrorCode.UNAVAILABLE, "cannot reach the agent at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaveException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the agent");
        } finally {
            java.util.Arrays.fill(encoded, (byte) 0);
        }
        if (answer.length > MAX_ANSWER_BYTES) {
            throw WaveException.tooLarge("the agent's answer to " + path + " is over " + MAX_ANSWER_BYTES + " bytes");
        }
        if (r.statusCode() / 100 != 2) {
            throw error(r.statusCode(), answer);
        }
        return answer;
    }

    /** The agent's error body as the exception it stands for. */
    private WaveException error(int status, byte[] answer) {
        try {
            JsonNode e = json.readTree(answer);
            String code = e.path("code").asText("");
            String message = e.path("message").asText("");
            for (ErrorCode c : ErrorCode.values()) {
                if (c.name().equals(code)) {
                    return new WaveException(c, message);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not an error body: reported below by status
        }
        return new WaveException(ErrorCode.UNAVAILABLE, "the agent at " + base + " answered HTTP " + status
                + " without an error body (is it a WAVE agent?)");
    }
}
