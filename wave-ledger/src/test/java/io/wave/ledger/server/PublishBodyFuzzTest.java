package io.wave.ledger.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.http.internal.Wire;
import io.wave.ledger.testing.ClientBodies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of the ledger server's one JSON body, {@code POST /v1/objects}: the body
 * goes through what the handler does with it ({@link JsonHttp#parse}, {@link LedgerServer#publications},
 * {@code publishAll} on a real embedded ledger) and whatever fails must map to a 4xx and the one error body,
 * never a 5xx. In-process rather than over HTTP, so that a million bodies take minutes, not hours; the HTTP
 * wrapping itself is covered by {@code LedgerServerTest}. See docs/fuzzing.md.
 */
class PublishBodyFuzzTest {
    private static final ObjectMapper JSON = Wire.mapper(true);
    private static Path dir;
    private static EmbeddedLedger ledger;
    private static LedgerServer server;

    @FuzzTest
    void publishBody(byte[] body) {
        try {
            LedgerServer s = server();
            ledger.publishAll(s.publications(JsonHttp.parse(body, JSON, Wire.PublishRequest.class)));
        } catch (Exception e) {
            ClientBodies.assertRefusedAsClientError(e);
        }
    }

    /** One ledger and one (unstarted) server for the whole run: fuzz inputs come in by the million. */
    private static synchronized LedgerServer server() {
        if (server == null) {
            try {
                dir = Files.createTempDirectory("wave-fuzz-ledger");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC());
            server = LedgerServer.create(ledger, c -> {});
        }
        return server;
    }

    @AfterAll
    static synchronized void close() throws IOException {
        if (ledger != null) {
            ledger.close();
            ledger = null;
            server = null;
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
