package io.wave.ledger.server;

import static io.wave.ledger.testing.LedgerFixtures.CLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.VerifyingKey;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Revocation;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.http.internal.Wire;
import io.wave.ledger.testing.RawHttp;
import io.wave.policy.RevocationView;
import io.wave.policy.testing.GrantBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger server as raw HTTP sees it: the routes answer the API's JSON, and every kind of bad request,
 * from broken JSON to a forged signature, gets the one error body with its code's status, never a 500.
 */
class LedgerServerTest {
    private static final EntitySecret NS = TestEntities.create("server/namespace");
    private static final EntitySecret ALICE = TestEntities.create("server/alice");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private EmbeddedLedger ledger;
    private LedgerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void start_onPortZero_listensOnLoopbackOnAFreePort() {
        start(c -> {});
        assertTrue(server.port() > 0);
        assertEquals(URI.create("http://127.0.0.1:" + server.port()), server.uri());

        // The port is taken now: a second server on it cannot start, and says so with a code.
        WaveException e = assertThrowsWave(ErrorCode.UNAVAILABLE,
                () -> LedgerServer.create(ledger, c -> c.port = server.port()).start());
        assertTrue(e.getMessage().contains(String.valueOf(server.port())), e.getMessage());
    }

    @Test
    void head_isSignedByTheKeyTheServerNames() throws Exception {
        start(c -> {});
        ledger.publish(ObjectKind.ENTITY, NS.entity().encoded());

        Answer key = get("/v1/key");
        Answer head = get("/v1/head");

        assertEquals(200, head.status);
        assertEquals("Ed25519", key.body.get("algorithm").asText());
        VerifyingKey k = VerifyingKey.of(Base64.getDecoder().decode(key.body.get("key").asText()));
        SignedTreeHead h = Wire.head(json.treeToValue(head.body, Wire.Head.class));
        h.verify(k);
        assertEquals(ledger.head(), h);
        assertEquals("application/json", head.contentType);
    }

    @Test
    void publish_answersReceiptsUnderOneHead_andObjectsReadBackWithProofs() throws Exception {
        start(c -> {});
        Answer published = post("/v1/objects", publishBody(
                item("entity", NS.entity().encoded()),
                item("attestation", GrantBuilder.grant("server/ns-alice", NS, ALICE.id()).sign().encoded())));

        assertEquals(200, published.status, published.raw);
        assertEquals(2, published.body.get("head").get("size").asLong());
        assertEquals(2, published.body.get("receipts").size());
        assertEquals(NS.id().toString(), published.body.get("receipts").get(0).get("id").asText());
        assertEquals("attestation", published.body.get("receipts").get(1).get("kind").asText());

        Answer found = get("/v1/objects/" + NS.id());
        assertEquals(200, found.status);
        assertArrayEquals(NS.entity().encoded(),
                Base64.getDecoder().decode(found.body.get("entry").get("der").asText()));
        Answer grants = get("/v1/grants/to/" + ALICE.id());
        assertEquals(1, grants.body.get("objects").size());
        assertEquals(NS.id().toString(), grants.body.get("attesters").get(0).get("id").asText(),
                "the signer comes with its grants");
        Answer page = get("/v1/entries?from=1&max=5");
        assertEquals(1, page.body.get("entries").size());
        assertEquals(1, page.body.get("entries").get(0).get("index").asLong());
        assertEquals("NOT_REVOKED", get("/v1/revocations/" + Wire.commitment(NS.entity().revocation())).body
                .get("status").asText());
        assertEquals(1, get("/v1/proofs/inclusion?index=0&size=2").body.get("hashes").size());
        assertEquals(1, get("/v1/proofs/consistency?first=1&second=2").body.get("hashes").size());
    }

    @Test
    void publish_malformedJson_is400Malformed() throws Exception {
        start(c -> {});
        assertError(post("/v1/objects", "{\"objects\": [".getBytes(StandardCharsets.UTF_8)), 400, ErrorCode.MALFORMED);
        assertError(post("/v1/objects", "not json at all".getBytes(StandardCharsets.UTF_8)), 400, ErrorCode.MALFORMED);
        assertError(post("/v1/objects", new byte[0]), 400, ErrorCode.MALFORMED);
        assertError(post("/v1/objects", "{\"objects\":[]} trailing".getBytes(StandardCharsets.UTF_8)), 400,
                ErrorCode.MALFORMED);
    }

    @Test
    void publish_unknownMissingOrMistypedFields_are400BadArgument() throws Exception {
        start(c -> {});
        String der = Base64.getEncoder().encodeToString(NS.entity().encoded());
        Answer unknown = post("/v1/objects", ("{\"objects\":[{\"kind\":\"entity\",\"der\":\"" + der
                + "\",\"extra\":1}]}").getBytes(StandardCharsets.UTF_8));
        assertError(unknown, 400, ErrorCode.BAD_ARGUMENT);
        assertTrue(unknown.body.get("message").asText().contains("extra"), unknown.raw);
        assertError(post("/v1/objects", "{\"objects\":[{\"kind\":\"entity\"}]}".getBytes(StandardCharsets.UTF_8)), 400,
                ErrorCode.BAD_ARGUMENT);
        assertError(post("/v1/objects", "{\"objects\":\"many\"}".getBytes(StandardCharsets.UTF_8)), 400,
                ErrorCode.BAD_ARGUMENT);
        assertError(post("/v1/objects", "{\"objects\":[]}".getBytes(StandardCharsets.UTF_8)), 400, ErrorCode.BAD_ARGUMENT);
        assertEquals(0, ledger.size(), "nothing of a refused request is written");
    }

    @Test
    void publish_oversizeBody_is413TooLarge() throws Exception {
        start(c -> c.maxBodyBytes = 64 * 1024);
        byte[] big = new byte[200 * 1024];
        Arrays.fill(big, (byte) ' ');
        assertError(post("/v1/objects", big), 413, ErrorCode.TOO_LARGE);
    }

    @Test
    void publish_moreObjectsThanAllowed_is413TooLarge() throws Exception {
        start(c -> c.maxObjectsPerPublish = 2);
        byte[] e = NS.entity().encoded();
        assertError(post("/v1/objects", publishBody(item("entity", e), item("entity", e), item("entity", e))), 413,
                ErrorCode.TOO_LARGE);
    }

    @Test
    void publish_badBase64BadDerOrUnknownKind_is400Malformed() throws Exception {
        start(c -> {});
        assertError(post("/v1/objects", "{\"objects\":[{\"kind\":\"entity\",\"der\":\"***\"}]}"
                .getBytes(StandardCharsets.UTF_8)), 400, ErrorCode.MALFORMED);
        assertError(post("/v1/objects", publishBody(item("entity", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}))), 400,
                ErrorCode.MALFORMED);
        assertError(post("/v1/objects", publishBody(item("grant", NS.entity().encoded()))), 400, ErrorCode.MALFORMED);
        assertEquals(0, ledger.size());
    }

    @Test
    void publish_forgedSignature_is400BadSignature() throws Exception {
        start(c -> {});
        byte[] forged = NS.entity().encoded();
        forged[forged.length - 1] ^= 1; // the self-signature is the last field
        assertError(post("/v1/objects", publishBody(item("entity", forged))), 400, ErrorCode.BAD_SIGNATURE);

        post("/v1/objects", publishBody(item("entity", NS.entity().encoded())));
        byte[] grant = GrantBuilder.grant("server/forged", NS, ALICE.id()).sign().encoded();
        grant[grant.length - 1] ^= 1;
        assertError(post("/v1/objects", publishBody(item("attestation", grant))), 400, ErrorCode.BAD_SIGNATURE);
        assertEquals(1, ledger.size());
    }

    @Test
    void publish_grantWhoseAttesterIsUnknown_is404NotFound() throws Exception {
        start(c -> {});
        Answer a = post("/v1/objects", publishBody(
                item("attestation", GrantBuilder.grant("server/orphan", NS, ALICE.id()).sign().encoded())));
        assertError(a, 404, ErrorCode.NOT_FOUND);
        assertTrue(a.body.get("message").asText().contains("publish the entity first"), a.raw);
    }

    @Test
    void reads_badIdsQueriesAndRoutes_getTheSameErrorBody() throws Exception {
        start(c -> {});
        assertError(get("/v1/nothing-here"), 404, ErrorCode.NOT_FOUND);
        assertError(get("/v1/objects/" + NS.id()), 404, ErrorCode.NOT_FOUND);
        assertError(get("/v1/objects/not-an-id"), 400, ErrorCode.MALFORMED);
        assertError(get("/v1/grants/to/short"), 400, ErrorCode.MALFORMED);
        assertError(get("/v1/revocations/AAAA"), 400, ErrorCode.MALFORMED);
        assertError(get("/v1/names/Not%20A%20Name"), 400, ErrorCode.BAD_ARGUMENT);
        assertError(get("/v1/entries"), 400, ErrorCode.BAD_ARGUMENT);
        assertError(get("/v1/entries?from=-1"), 400, ErrorCode.BAD_ARGUMENT);
        assertError(get("/v1/entries?from=0&max=1e3"), 400, ErrorCode.BAD_ARGUMENT);
        assertError(get("/v1/proofs/inclusion?index=0&size=5"), 400, ErrorCode.BAD_ARGUMENT);
        assertError(get("/v1/proofs/consistency?first=3&second=1"), 400, ErrorCode.BAD_ARGUMENT);
        assertEquals(0, get("/v1/names/nobody.acme").body.get("objects").size());
    }

    @Test
    void publish_jsonThatIsNotThePublishObject_is400WithTheErrorBody_never500() {
        start(c -> {});
        for (String body : RawHttp.NOT_AN_OBJECT) {
            RawHttp.assertRefused(raw(RawHttp.post("/v1/objects", body)), body);
        }
        RawHttp.assertErrorBody(raw(RawHttp.post("/v1/objects", "null")), 400, ErrorCode.BAD_ARGUMENT);
        for (String body : List.of("{\"objects\":null}", "{\"objects\":[null]}", "{\"objects\":[1]}",
                "{\"objects\":[[]]}", "{\"objects\":{}}", "{\"objects\":[{\"kind\":null,\"der\":\"AA==\"}]}",
                "{\"objects\":[{\"kind\":\"entity\",\"der\":null}]}", "{\"objects\":[{\"kind\":1,\"der\":\"AA==\"}]}",
                "{\"objects\":[{\"kind\":\"entity\",\"der\":[]}]}", "{\"objects\":[{\"kind\":\"entity\"}]}",
                "{\"objects\":[{\"kind\":\"revocation\",\"der\":\"\"}]}")) {
            RawHttp.assertRefused(raw(RawHttp.post("/v1/objects", body)), body);
        }
        assertEquals(0, ledger.size());
    }

    @Test
    void publish_bodyThatIsNotUtf8_is400Malformed_evenWhenJsonCouldBeGuessedFromIt() {
        start(c -> {});
        RawHttp.assertErrorBody(raw(RawHttp.post("/v1/objects", RawHttp.NOT_UTF8)), 400, ErrorCode.MALFORMED);
        // A publish a parser would take as UTF-16 is not UTF-8 JSON (RFC 8259), and is not guessed at.
        byte[] utf16 = new String(publishBody(item("entity", NS.entity().encoded())), StandardCharsets.UTF_8)
                .getBytes(StandardCharsets.UTF_16BE);
        RawHttp.assertErrorBody(raw(RawHttp.post("/v1/objects", utf16)), 400, ErrorCode.MALFORMED);
        assertEquals(0, ledger.size());
    }

    @Test
    void publish_anyContentType_isReadAsJson_andGarbageUnderItIsTheErrorBody() {
        start(c -> {});
        byte[] body = publishBody(item("entity", NS.entity().encoded()));
        // curl -d sends a form type; the body is JSON whatever the label says.
        assertEquals(200, raw(RawHttp.request("POST", "/v1/objects", body,
                "Content-Type: application/x-www-form-urlencoded")).status());
        for (String type : List.of("multipart/form-data; boundary=x", "text/html", "application/json; charset=utf-16",
                "application/octet-stream")) {
            RawHttp.assertRefused(raw(RawHttp.request("POST", "/v1/objects",
                    "--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--x--".getBytes(StandardCharsets.UTF_8),
                    "Content-Type: " + type)), type);
        }
        assertEquals(1, ledger.size());
    }

    @Test
    void publish_hugeBodies_are413TooLarge_whateverTheyClaim() {
        // Jetty dispatches a request once some of its body is there, or at the idle timeout: kept short here.
        start(c -> {
            c.maxBodyBytes = 64 * 1024;
            c.idleTimeoutMillis = 300;
        });
        RawHttp.assertErrorBody(raw(RawHttp.request("POST", "/v1/objects", new byte[0],
                "Content-Length: 1000000000000")), 413, ErrorCode.TOO_LARGE);
        // Chunked, so no length to refuse it by: it is refused at the bound as it is read.
        byte[] chunk = (Integer.toHexString(100 * 1024) + "\r\n" + " ".repeat(100 * 1024) + "\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.assertErrorBody(raw(RawHttp.request("POST", "/v1/objects", chunk, "Transfer-Encoding: chunked")), 413,
                ErrorCode.TOO_LARGE);
    }

    @Test
    void publish_bodyThatStopsArriving_is408RequestTimeout_withTheErrorBody() {
        // The idle timeout is short so that the test is quick; the test waits on the answer, whenever it comes.
        start(c -> c.idleTimeoutMillis = 300);
        byte[] body = publishBody(item("entity", NS.entity().encoded()));

        RawHttp.Answer stalled = raw(RawHttp.stalledPost("/v1/objects", body, "Content-Type: application/json"));
        RawHttp.Answer stalledChunks = raw(RawHttp.request("POST", "/v1/objects", "10\r\n{\"objects\":[".getBytes(
                StandardCharsets.ISO_8859_1), "Transfer-Encoding: chunked"));
        RawHttp.Answer nothingSent = raw(RawHttp.request("POST", "/v1/objects", new byte[0], "Content-Length: 100"));

        for (RawHttp.Answer a : List.of(stalled, stalledChunks, nothingSent)) {
            RawHttp.assertErrorBody(a, 408, ErrorCode.REQUEST_TIMEOUT);
        }
        assertEquals(0, ledger.size());
        assertEquals(200, raw(RawHttp.post("/v1/objects", body)).status(), "the server goes on serving");
    }

    @Test
    void reads_encodedTraversalOrNulInAPathParameter_getTheErrorBody() {
        start(c -> {});
        for (String route : List.of("/v1/objects/", "/v1/grants/to/", "/v1/grants/from/", "/v1/revocations/",
                "/v1/names/")) {
            for (String segment : RawHttp.HOSTILE_SEGMENTS) {
                RawHttp.assertRefused(raw(RawHttp.get(route + segment)), route + segment);
            }
        }
        RawHttp.assertErrorBody(raw(RawHttp.get("/v1/objects/%00")), 400, ErrorCode.MALFORMED);
        RawHttp.assertRefused(raw(RawHttp.get("/v1/entries?from=%00")), "a NUL in a query");
    }

    @Test
    void requestsThatAreNotHttpARouteCanTake_getTheErrorBody() throws Exception {
        start(c -> {});
        for (var m : RawHttp.MALFORMED_REQUESTS.entrySet()) {
            RawHttp.assertRefused(RawHttp.exchange(server.uri(), m.getValue()), m.getKey());
        }
        RawHttp.assertErrorBody(RawHttp.exchange(server.uri(), RawHttp.MALFORMED_REQUESTS.get("no Host")), 400,
                ErrorCode.MALFORMED);
        RawHttp.assertErrorBody(RawHttp.exchange(server.uri(), RawHttp.MALFORMED_REQUESTS.get("headers too large")), 431,
                ErrorCode.TOO_LARGE);
        assertEquals(200, get("/v1/head").status, "the server goes on serving");
    }

    @Test
    void publish_pastTheRateLimit_is429RateLimited_whileReadsGoOn() throws Exception {
        start(c -> {
            c.publishBurst = 2;
            c.publishesPerSecond = 0.001;
        });
        byte[] body = publishBody(item("entity", NS.entity().encoded()));
        assertEquals(200, post("/v1/objects", body).status);
        assertEquals(200, post("/v1/objects", body).status);

        RawHttp.Answer limited = raw(RawHttp.post("/v1/objects", body));

        RawHttp.assertErrorBody(limited, 429, ErrorCode.RATE_LIMITED);
        assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1, "says when to come back: " + limited);
        assertEquals(200, get("/v1/head").status);
        assertEquals(200, get("/v1/objects/" + NS.id()).status);
    }

    @Test
    void publish_garbageCostsNoBudget_andRevocationsHaveTheirOwn_andNothingNewIsRefusedForRate() throws Exception {
        start(c -> {
            c.publishBurst = 1;
            c.publishesPerSecond = 0.001;
            c.revocationBurst = 1;
            c.revocationsPerSecond = 0.001;
        });
        // Every client on this machine shares this address: garbage from one of them spends nobody's budget.
        for (int i = 0; i < 130; i++) {
            RawHttp.assertErrorBody(raw(RawHttp.post("/v1/objects", "{\"objects\":[{\"kind\":\"entity\",\"der\":\"AAAA\"}]}")),
                    400, ErrorCode.MALFORMED);
        }
        assertEquals(200, post("/v1/objects", publishBody(item("entity", NS.entity().encoded()),
                item("entity", ALICE.entity().encoded()))).status, "the publish budget is whole");
        assertError(post("/v1/objects", publishBody(item("entity", ALICE.entity().encoded()))), 429,
                ErrorCode.RATE_LIMITED);

        byte[] revokeNs = publishBody(item("revocation", new Revocation(NS.entityRevocationSecret()).encode()));
        assertEquals(200, post("/v1/objects", revokeNs).status, "revocations are not charged to publishes");
        // Sending a revocation again spends the revocation budget; once it is spent, repeats are refused...
        assertError(post("/v1/objects", revokeNs), 429, ErrorCode.RATE_LIMITED);
        // ...but a revocation of something not yet revoked never is.
        byte[] revokeAlice = publishBody(item("revocation", new Revocation(ALICE.entityRevocationSecret()).encode()));
        assertEquals(200, post("/v1/objects", revokeAlice).status);
        assertEquals(RevocationView.Status.REVOKED, ledger.revocationStatus(ALICE.entity().revocation()));
        // A revocation of a commitment nothing on the ledger carries is refused for what it is, not for rate.
        byte[] revokeNobody = publishBody(item("revocation", new Revocation(
                TestEntities.create("server/nobody").entityRevocationSecret()).encode()));
        assertEquals(404, post("/v1/objects", revokeNobody).status);
    }

    @Test
    void closedLedger_is503Unavailable() throws Exception {
        start(c -> {});
        ledger.close();
        assertError(get("/v1/objects/" + NS.id()), 503, ErrorCode.UNAVAILABLE);
        assertError(post("/v1/objects", publishBody(item("entity", NS.entity().encoded()))), 503, ErrorCode.UNAVAILABLE);
    }

    // ------------------------------------------------------------------ helpers

    private record Answer(int status, String contentType, String raw, JsonNode body) {}

    private void start(Consumer<LedgerServer.Config> config) {
        ledger = EmbeddedLedger.open(dir.resolve("ledger"), CLOCK);
        server = LedgerServer.create(ledger, config).start();
    }

    private RawHttp.Answer raw(byte[] request) {
        return RawHttp.exchange(server.uri(), request);
    }

    private Answer get(String path) throws Exception {
        return send(HttpRequest.newBuilder(server.uri().resolve(path)).GET());
    }

    private Answer post(String path, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(server.uri().resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private Answer send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? json.nullNode() : json.readTree(r.body());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), body);
    }

    private static String item(String kind, byte[] der) {
        return "{\"kind\":\"" + kind + "\",\"der\":\"" + Base64.getEncoder().encodeToString(der) + "\"}";
    }

    private static byte[] publishBody(String... items) {
        return ("{\"objects\":[" + String.join(",", items) + "]}").getBytes(StandardCharsets.UTF_8);
    }

    /** The one error body: the code, a message, and the code's own status. */
    private static void assertError(Answer a, int status, ErrorCode code) {
        assertEquals(status, a.status, a.raw);
        assertEquals(code.httpStatus(), a.status);
        assertEquals(code.name(), a.body.path("code").asText(), a.raw);
        assertTrue(a.body.path("message").isTextual() && !a.body.get("message").asText().isBlank(), a.raw);
        assertEquals(2, a.body.size(), "code and message, nothing else: " + a.raw);
        assertEquals("application/json", a.contentType);
    }

    private static WaveException assertThrowsWave(ErrorCode code, org.junit.jupiter.api.function.Executable e) {
        WaveException w = org.junit.jupiter.api.Assertions.assertThrows(WaveException.class, e);
        assertEquals(code, w.code(), w.getMessage());
        return w;
    }
}
