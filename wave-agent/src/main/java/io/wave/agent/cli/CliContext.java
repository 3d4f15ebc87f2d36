package io.wave.agent.cli;

import java.io.Console;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the CLI takes from the world, handed in so tests can fix it: the clock, randomness, environment
 * variables and the console (null when there is none).
 */
public record CliContext(Clock clock, SecureRandom random, Function<String, String> env, Supplier<Console> console) {
    public CliContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(console, "console");
    }

    public static CliContext system() {
        return new CliContext(Clock.systemUTC(), new SecureRandom(), System::getenv, System::console);
    }
}
