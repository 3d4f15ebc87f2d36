package io.wave.testnet;

import io.wave.agent.cli.CliExtension;
import io.wave.testnet.compare.CompareBench;
import java.util.Map;

/** What the testnet module adds to the {@code wave} command line. */
public final class TestnetExtension implements CliExtension {
    @Override
    public Map<String, Bench> benches() {
        return Map.of("compare", new CompareBench());
    }
}
