package io.wave.testnet;

import io.wave.agent.cli.CliContext;
import io.wave.agent.cli.CliExtension;
import io.wave.testnet.cli.TestnetCommand;
import io.wave.testnet.compare.CompareBench;
import java.util.List;
import java.util.Map;

/** What the testnet module adds to the {@code wave} command line: {@code wave testnet} and {@code wave bench compare}. */
public final class TestnetExtension implements CliExtension {
    @Override
    public List<Object> commands(CliContext context) {
        return List.of(new TestnetCommand(context));
    }

    @Override
    public Map<String, Bench> benches() {
        return Map.of("compare", new CompareBench());
    }
}
