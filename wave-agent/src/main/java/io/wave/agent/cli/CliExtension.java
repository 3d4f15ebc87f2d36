package io.wave.agent.cli;

import java.util.List;
import java.util.Map;

/**
 * What a module above this one adds to the {@code wave} command line, found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/io.wave.agent.cli.CliExtension} entry). The testnet module adds
 * {@code wave testnet} and {@code wave bench compare} this way; the launcher {@code ./wave} runs the CLI
 * with that module on the class path.
 */
public interface CliExtension {
    /**
     * Top-level verbs: picocli command objects (classes annotated with {@code @Command}), made fresh for
     * each command line. Errors they throw as {@link io.wave.crypto.WaveException} are reported like every
     * other verb's: one line, a stable code, the code's exit status.
     */
    default List<Object> commands(CliContext context) {
        return List.of();
    }

    /** Benchmarks run as {@code wave bench NAME}, by name. */
    default Map<String, Bench> benches() {
        return Map.of();
    }

    /** One benchmark: what {@code wave bench NAME} runs. */
    interface Bench {
        /** One line for {@code wave bench --help}. */
        String description();

        /**
         * Runs and returns rows (a list of maps, printed one line each) or one map; with {@code --json} the
         * result is printed under {@code results}.
         */
        Object run(CliContext context, boolean quick);
    }

    /** Every extension on the class path, in class-path order. */
    static List<CliExtension> installed() {
        return java.util.ServiceLoader.load(CliExtension.class).stream().map(java.util.ServiceLoader.Provider::get)
                .toList();
    }
}
