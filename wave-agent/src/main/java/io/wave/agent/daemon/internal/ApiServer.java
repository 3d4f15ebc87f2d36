package io.wave.agent.daemon.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.wave.agent.client.AgentApi;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.ledger.server.JsonHttp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The agent's REST API over Javalin: read-only routes for any caller, mutating routes (and the ledger audit, which
 * reads the whole ledger) only with the API token ({@code Authorization: Bearer TOKEN}), {@code /v1/openapi.json}
 * and Prometheus {@code /metrics}. Every failure is one JSON body, {@code {"code": ..., "message": ...}}, with
 * the HTTP status of its {@link ErrorCode} (see {@link JsonHttp}); bodies are bounded by
 * {@link AgentApi#MAX_BODY_BYTES} ({@link AgentApi#MAX_PUBLISH_BODY_BYTES} for a publish) and parsed strictly.
 */
public final class ApiServer {
    private static final String JSON = JsonHttp.JSON;
    private static final String BEARER = "Bearer ";

    private final AgentCore core;
    private final Metrics metrics;
    private final byte[] token;
    private final ObjectMapper json;
    private final byte[] openApi;
    private final Javalin app;
    private final String host;
    private final int port;

    /** A server on {@code host}:{@code port}; a connection that sends nothing for {@code idleTimeoutMillis} is timed out. */
    public ApiServer(AgentCore core, Metrics metrics, String token, ObjectMapper json, String host, int port,
            int idleTimeoutMillis) {
        this.core = core;
        this.metrics = metrics;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.json = json;
        this.openApi = openApiDocument();
        JsonHttp.checkListen(host, port);
        this.host = host;
        this.port = port;
        this.app = Javalin.create(c -> {
            // The largest body any route takes; each route reads at most its own bound (JsonHttp.read).
            JsonHttp.configure(c, host, port, AgentApi.MAX_PUBLISH_BODY_BYTES, idleTimeoutMillis);
            c.router.mount(r -> r
                    .post("/v1/verify", this::verify)
                    .post("/v1/prove", ctx -> answer(ctx, core.prove(read(ctx, AgentApi.ProveRequest.class))))
                    .get("/v1/entities/{id}", ctx -> answer(ctx, core.entity(ctx.pathParam("id"))))
                    .get("/v1/attestations/{id}", ctx -> answer(ctx, core.attestation(ctx.pathParam("id"))))
                    .get("/v1/resolve/{name}", ctx -> answer(ctx, core.resolve(ctx.pathParam("name"))))
                    .get("/v1/graph", this::graph)
                    .post("/v1/entities", ctx -> {
                        guard(ctx);
                        answer(ctx.status(201), core.createEntity(read(ctx, AgentApi.EntityRequest.class)));
                    })
                    .post("/v1/entities/import", ctx -> {
                        guard(ctx);
                        answer(ctx.status(201), core.importEntity(read(ctx, AgentApi.ImportRequest.class)));
                    })
                    .post("/v1/grants", ctx -> {
                        guard(ctx);
                        answer(ctx.status(201), core.grant(read(ctx, AgentApi.GrantRequest.class)));
                    })
                    .post("/v1/revocations", ctx -> {
                        guard(ctx);
                        answer(ctx.status(201), core.revoke(read(ctx, AgentApi.RevokeRequest.class)));
                    })
                    .post("/v1/names", ctx -> {
                        guard(ctx);
                        answer(ctx.status(201), core.name(read(ctx, AgentApi.NameRequest.class)));
                    })
                    .post("/v1/objects", ctx -> {
                        guard(ctx);
                        answer(ctx.status(201), core.publish(JsonHttp.read(ctx, AgentApi.MAX_PUBLISH_BODY_BYTES, json,
                                AgentApi.PublishRequest.class)));
                    })
                    .get("/v1/ledger/status", ctx -> answer(ctx, core.ledgerStatus()))
                    // Not a change of state, but it reads and hashes the whole ledger: only for the agent's owner.
                    .get("/v1/ledger/audit", ctx -> {
                        guard(ctx);
                        answer(ctx, core.ledgerAudit());
                    })
                    .get("/v1/openapi.json", ctx -> ctx.contentType(JSON).result(openApi))
                    .get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(metrics.render(core.gauges())))
                    // Javalin answers its own HttpResponseExceptions unless that class is named: one mapper for both.
                    .exception(HttpResponseException.class, (e, ctx) -> JsonHttp.fail(e, ctx, json))
                    .exception(Exception.class, (e, ctx) -> JsonHttp.fail(e, ctx, json)));
        });
    }

    /** Starts listening; UNAVAILABLE when the address cannot be bound. */
    public void start() {
        JsonHttp.start(app, host, port);
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }

    private void verify(Context ctx) throws IOException {
        ctx.contentType(JSON).result(core.verify(read(ctx, AgentApi.VerifyRequest.class)));
    }

    private void graph(Context ctx) throws IOException {
        String format = ctx.queryParam("format");
        if (format == null || format.equals("json")) {
            answer(ctx, core.graph());
        } else if (format.equals("dot")) {
            ctx.contentType("text/vnd.graphviz; charset=utf-8").result(core.graphDot());
        } else {
            throw WaveException.badArgument("format is 'json' or 'dot'");
        }
    }

    /** Refuses the request unless it carries the agent's API token; compared in constant time. */
    private void guard(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.startsWith(BEARER)) {
            throw new WaveException(ErrorCode.UNAUTHORIZED, "this route changes the agent's state and needs its API token: "
                    + "Authorization: Bearer TOKEN (TOKEN is in the file " + AgentApi.TOKEN_FILE + " in the agent's home)");
        }
        if (!MessageDigest.isEqual(h.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8), token)) {
            throw new WaveException(ErrorCode.UNAUTHORIZED, "wrong API token");
        }
    }

    private <T> T read(Context ctx, Class<T> type) throws IOException {
        return JsonHttp.read(ctx, AgentApi.MAX_BODY_BYTES, json, type);
    }

    private void answer(Context ctx, Object value) throws IOException {
        JsonHttp.answer(ctx, json, value);
    }

    private static byte[] openApiDocument() {
        try (InputStream in = ApiServer.class.getResourceAsStream("/io/wave/agent/daemon/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read openapi.json", e);
        }
    }
}
