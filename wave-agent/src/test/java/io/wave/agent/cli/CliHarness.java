package io.wave.agent.cli;

import io.wave.crypto.testing.DeterministicRandom;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process with a fixed clock, deterministic randomness, a chosen environment and no console. */
final class CliHarness {
    static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

    final Map<String, String> env = new HashMap<>();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final DeterministicRandom random;

    /** A harness whose WAVE_HOME (and so its embedded ledger) is {@code home}. */
    CliHarness(String label, java.nio.file.Path home) {
        this.random = new DeterministicRandom(label);
        env.put("WAVE_HOME", home.toString());
    }

    record Run(int code, String out, String err) {
        String line() {
            return out.strip();
        }
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(clock, random, env::get, () -> null);
        int code = WaveCli.execute(ctx, new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }
}
