package io.wave.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.agent.client.AgentApi;
import io.wave.agent.client.AgentClient;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import io.wave.ledger.embedded.EmbeddedLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent in process: where it may listen, how its keys rest on disk, and what a second agent on its home gets. */
class AgentTest {
    @TempDir
    Path dir;

    private Consumer<Agent.Config> config(EmbeddedLedger ledger, String passphrase) {
        return TestAgent.config(dir, ledger, passphrase);
    }

    @Test
    void start_refusesANonLoopbackAddress_unlessAllowedExplicitly() throws Exception {
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC())) {
            WaveException e = assertThrows(WaveException.class, () -> Agent.start(config(ledger, "p").andThen(c -> c.host = "0.0.0.0")));
            assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("--allow-remote"), e.getMessage());
            try (Agent a = Agent.start(config(ledger, "p").andThen(c -> {
                c.host = "0.0.0.0";
                c.allowRemote = true;
            }))) {
                assertTrue(a.port() > 0);
            }
        }
    }

    @Test
    void keys_restSealed_andOpenOnlyWithThePassphrase() throws Exception {
        String id;
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC())) {
            try (Agent a = Agent.start(config(ledger, "right"))) {
                AgentClient client = AgentClient.of(a.uri(), Files.readString(a.tokenFile()).strip());
                id = client.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            }
            Path key = dir.resolve("agent").resolve("keys").resolve(id + ".ent");
            String text = Files.readString(key);
            assertTrue(text.contains("BEGIN " + Pem.SEALED_ENTITY_SECRET), text);
            assertFalse(text.contains("BEGIN " + Pem.ENTITY_SECRET + "-"), text);
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            WaveException wrong = assertThrows(WaveException.class, () -> Agent.start(config(ledger, "wrong")));
            assertEquals(ErrorCode.BAD_PASSPHRASE, wrong.code());
            try (Agent again = Agent.start(config(ledger, "right"))) {
                assertTrue(AgentClient.of(again.uri(), null).entity(id).path("held").asBoolean());
                WaveException busy = assertThrows(WaveException.class, () -> Agent.start(config(ledger, "right")));
                assertEquals(ErrorCode.UNAVAILABLE, busy.code(), "one agent per home: " + busy.getMessage());
            }
        }
    }
}
