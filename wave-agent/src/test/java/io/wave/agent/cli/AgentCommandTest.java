package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.agent.client.AgentApi;
import io.wave.crypto.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code wave agent} refusing to start: one line with a stable code and its exit code, never a stack trace. */
class AgentCommandTest {
    @TempDir
    Path dir;

    /** An agent that starts runs until stopped: the timeout only ends a test whose agent wrongly started. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void agent_refusesATokenFileOthersCanRead_withMalformedAndExit2() throws Exception {
        CliHarness cli = new CliHarness("AgentCommandTest", dir.resolve("home"));
        cli.env.put("WAVE_PASSPHRASE", "a long passphrase");
        Path home = dir.resolve("agent-home");
        Path token = Files.createDirectories(home).resolve(AgentApi.TOKEN_FILE);
        Files.writeString(token, "abc\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));

        CliHarness.Run r = cli.run("agent", "--home", home.toString(), "--http", "127.0.0.1:0");

        assertEquals(ErrorCode.MALFORMED.exitCode(), r.code(), r.err());
        assertTrue(r.err().startsWith("wave: MALFORMED: "), r.err());
        assertTrue(r.err().contains(token.toString()), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
    }
}
