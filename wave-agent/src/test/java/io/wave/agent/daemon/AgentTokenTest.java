package io.wave.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.agent.client.AgentApi;
import io.wave.agent.client.AgentClient;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.ledger.embedded.EmbeddedLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API token file in the agent's home: one the agent makes is strong and owner-only, and one it finds is
 * adopted only if it is too: a token others can read, or one short enough to guess, stops the start.
 */
class AgentTokenTest {
    /** 43 base64url characters, as the agent makes them: 256 bits. */
    private static final String STRONG = "q1b2Vx8Zr0Ud4eFgH5iJ6kL7mN8oP9qR0sT1uV2wX3y";

    @TempDir
    Path dir;

    private Path tokenFile;

    @BeforeEach
    void home() throws Exception {
        tokenFile = dir.resolve("agent").resolve(AgentApi.TOKEN_FILE);
        Files.createDirectories(tokenFile.getParent());
    }

    @Test
    void start_makesAStrongOwnerOnlyToken_andAdoptsItAtTheNextStart() throws Exception {
        String made;
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC())) {
            try (Agent a = Agent.start(TestAgent.config(dir, ledger, "p"))) {
                made = Files.readString(a.tokenFile()).strip();
                assertEquals(43, made.length(), made);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a.tokenFile())));
            }
            try (Agent again = Agent.start(TestAgent.config(dir, ledger, "p"))) {
                assertEquals(made, Files.readString(again.tokenFile()).strip());
                AgentClient admin = AgentClient.of(again.uri(), made);
                assertFalse(admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText().isEmpty());
            }
        }
    }

    @Test
    void start_refusesATokenFileReadableByGroupOrOthers_evenWithAStrongToken() throws Exception {
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----"}) {
            Files.writeString(tokenFile, STRONG + "\n");
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString(mode));
            WaveException e = refused();
            assertTrue(e.getMessage().contains("chmod 600"), mode + ": " + e.getMessage());
            assertFalse(e.getMessage().contains(STRONG), "the token is not echoed: " + e.getMessage());
        }
    }

    @Test
    void start_refusesATokenUnder128Bits_evenOwnerOnly() throws Exception {
        for (String weak : new String[] {"abc", "0123456789abcdef0123456789abcde", "AbCdEfGhIjKlMnOpQrStU",
                "01234567890123456789012345678901234567", "has spaces in it but is quite long enough"}) {
            Files.writeString(tokenFile, weak + "\n");
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
            WaveException e = refused();
            assertFalse(e.getMessage().contains(weak), "the token is not echoed: " + e.getMessage());
        }
    }

    @Test
    void start_adoptsAnOwnerOnlyTokenOfAtLeast128Bits() throws Exception {
        for (String good : new String[] {STRONG, "AbCdEfGhIjKlMnOpQrStUv", "0123456789abcdef0123456789abcdef"}) {
            Files.writeString(tokenFile, good + "\n");
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
            try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC());
                 Agent a = Agent.start(TestAgent.config(dir, ledger, "p"))) {
                AgentClient admin = AgentClient.of(a.uri(), good);
                assertFalse(admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText().isEmpty(), good);
            }
        }
    }

    private WaveException refused() {
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC())) {
            WaveException e = assertThrows(WaveException.class, () -> Agent.start(TestAgent.config(dir, ledger, "p")).close());
            assertEquals(ErrorCode.MALFORMED, e.code(), e.getMessage());
            return e;
        }
    }
}
