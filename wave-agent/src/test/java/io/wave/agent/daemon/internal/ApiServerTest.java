package io.wave.agent.daemon.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wave.agent.daemon.Agent;
import io.wave.agent.daemon.TestAgent;
import io.wave.crypto.ErrorCode;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.testing.RawHttp;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's REST API as a hostile local client sees it, over raw HTTP to a really started agent: whatever is
 * sent, to whichever route, the answer is the one error body under a 4xx, never a 500 and never Jetty's HTML.
 */
class ApiServerTest {
    private static final List<String> POST_ROUTES = List.of("/v1/verify", "/v1/prove", "/v1/entities",
            "/v1/entities/import", "/v1/grants", "/v1/revocations", "/v1/names", "/v1/objects");
    /** Objects with null, missing or wrongly typed fields, for every route's request record. */
    private static final List<String> BAD_FIELDS = List.of("{\"policies\":null}", "{\"policies\":[null]}",
            "{\"policies\":[1]}", "{\"policies\":{}}", "{\"proof\":null,\"policies\":[\"x\"]}", "{\"proof\":[],\"policies\":[]}",
            "{\"proof\":\"AAAA\",\"policies\":[\"device:read@x/y\"],\"params\":{\"a\":null}}",
            "{\"proof\":\"AAAA\",\"policies\":[\"x\"],\"params\":[1]}", "{\"confidence\":\"high\"}",
            "{\"subject\":null,\"policies\":[null]}", "{\"subject\":{},\"policies\":[\"x\"]}",
            "{\"attester\":null,\"subject\":null,\"policies\":[null],\"caveats\":[null]}", "{\"indirections\":\"1\"}",
            "{\"indirections\":1e99,\"attester\":\"a\",\"subject\":\"b\",\"policies\":[\"x\"]}", "{\"expiry\":1}",
            "{\"expiry\":\"99999999999999d\"}", "{\"secret\":null}", "{\"secret\":\"***\"}", "{\"secret\":[1]}",
            "{\"attestation\":null,\"entity\":null,\"name\":null}", "{\"attestation\":\"x\",\"entity\":\"y\"}",
            "{\"name\":\"a.b\",\"subject\":\"x\",\"attester\":null}", "{\"objects\":null}", "{\"objects\":[null]}",
            "{\"objects\":[{\"kind\":null,\"der\":null}]}", "{\"objects\":[{\"kind\":\"revocation\",\"der\":\"\"}]}");

    @TempDir
    Path dir;

    private EmbeddedLedger ledger;
    private Agent agent;
    private String token;

    @BeforeEach
    void start() throws Exception {
        ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC());
        // The idle timeout is short so that stalled bodies are answered soon; tests wait on the answer regardless.
        agent = Agent.start(TestAgent.config(dir, ledger, "p").andThen(c -> c.idleTimeoutMillis = 300));
        token = Files.readString(agent.tokenFile()).strip();
    }

    @AfterEach
    void stop() {
        agent.close();
        ledger.close();
    }

    @Test
    void postRoutes_jsonThatIsNotTheirObject_orFieldsNullMissingOrMistyped_are4xxWithTheErrorBody() {
        for (String route : POST_ROUTES) {
            for (String body : RawHttp.NOT_AN_OBJECT) {
                RawHttp.assertRefused(raw(RawHttp.post(route, body, auth())), route + " " + body);
            }
            for (String body : BAD_FIELDS) {
                RawHttp.assertRefused(raw(RawHttp.post(route, body, auth())), route + " " + body);
            }
            RawHttp.assertErrorBody(raw(RawHttp.post(route, "null", auth())), 400, ErrorCode.BAD_ARGUMENT);
        }
    }

    @Test
    void postRoutes_bodiesThatAreNotUtf8JsonOrTooLarge_getTheErrorBody() {
        for (String route : POST_ROUTES) {
            RawHttp.assertErrorBody(raw(RawHttp.post(route, RawHttp.NOT_UTF8, auth())), 400, ErrorCode.MALFORMED);
            RawHttp.assertErrorBody(raw(RawHttp.post(route, "{\"a\":", auth())), 400, ErrorCode.MALFORMED);
            RawHttp.assertErrorBody(raw(RawHttp.request("POST", route, new byte[0], auth(),
                    "Content-Length: 1000000000000")), 413, ErrorCode.TOO_LARGE);
            RawHttp.assertRefused(raw(RawHttp.request("POST", route, "a=b&c".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    auth(), "Content-Type: multipart/form-data; boundary=x")), route + " as a form");
        }
    }

    @Test
    void postRoutes_bodyThatStopsArriving_is408RequestTimeout_withTheErrorBody() {
        for (String route : List.of("/v1/verify", "/v1/revocations", "/v1/objects")) {
            RawHttp.Answer a = raw(RawHttp.stalledPost(route, "{\"policies\":[\"device:read@x/y\"]}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), auth()));
            RawHttp.assertErrorBody(a, 408, ErrorCode.REQUEST_TIMEOUT);
        }
        assertEquals(200, raw(RawHttp.get("/v1/ledger/status")).status(), "the agent goes on serving");
    }

    @Test
    void getRoutes_encodedTraversalOrNulInAnId_getTheErrorBody() {
        for (String route : List.of("/v1/entities/", "/v1/attestations/", "/v1/resolve/")) {
            for (String segment : RawHttp.HOSTILE_SEGMENTS) {
                RawHttp.assertRefused(raw(RawHttp.get(route + segment)), route + segment);
            }
        }
        RawHttp.assertErrorBody(raw(RawHttp.get("/v1/entities/%00")), 400, ErrorCode.MALFORMED);
        RawHttp.assertRefused(raw(RawHttp.get("/v1/graph?format=%00")), "a NUL in a query");
    }

    @Test
    void requestsThatAreNotHttpARouteCanTake_getTheErrorBody() {
        for (var m : RawHttp.MALFORMED_REQUESTS.entrySet()) {
            RawHttp.assertRefused(RawHttp.exchange(uri(), m.getValue()), m.getKey());
        }
        RawHttp.assertErrorBody(RawHttp.exchange(uri(), RawHttp.MALFORMED_REQUESTS.get("not HTTP")), 400,
                ErrorCode.MALFORMED);
    }

    private String auth() {
        return "Authorization: Bearer " + token;
    }

    private URI uri() {
        return agent.uri();
    }

    private RawHttp.Answer raw(byte[] request) {
        return RawHttp.exchange(uri(), request);
    }
}
