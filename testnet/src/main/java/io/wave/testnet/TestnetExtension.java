package io.wave.testnet;

import io.wave.agent.cli.CliContext;
import io.wave.agent.cli.CliExtension;
import io.wave.testnet.cli.TestnetCommand;
import java.util.List;

/** What this module adds to the {@code wave} command line: {@code wave testnet}. */
public final class TestnetExtension implements CliExtension {
    @Override
    public List<Object> commands(CliContext context) {
        return List.of(new TestnetCommand(context));
    }
}
