package io.wave.agent.cli;

import io.wave.ledger.Ledger;
import io.wave.ledger.Ledgers;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which ledger a verb reads or publishes to: {@code --ledger URI}, else {@code $WAVE_LEDGER}, else the
 * embedded ledger under {@code $WAVE_HOME} (default {@code ~/.wave}).
 */
final class LedgerOptions {
    static final String ENV_LEDGER = "WAVE_LEDGER";
    static final String ENV_HOME = "WAVE_HOME";

    @Option(names = "--ledger", paramLabel = "URI", description = {
            "Ledger to use: embedded (under $WAVE_HOME/ledger), embedded:DIR, http://HOST:PORT (a ledger",
            "server), ethereum:http://HOST:PORT?contract=0x... Default: $" + ENV_LEDGER + ", else embedded."})
    String ledger;

    @Option(names = "--anchor", paramLabel = "URI", description = {
            "Where this ledger's tree heads are anchored (anchored mode): ethereum:http://HOST:PORT?contract=0x...",
            "Default: $WAVE_ANCHOR."})
    String anchor;

    @Option(names = "--eth-key-file", paramLabel = "FILE",
            description = "Ethereum account key (hex) that pays for publishing on chain; default $WAVE_ETH_KEY.")
    Path ethKeyFile;

    String uri(CliContext ctx) {
        if (ledger != null) {
            return ledger;
        }
        String env = ctx.env().apply(ENV_LEDGER);
        return env == null || env.isBlank() ? Ledgers.EMBEDDED : env;
    }

    static Path home(CliContext ctx) {
        String h = ctx.env().apply(ENV_HOME);
        return h == null || h.isBlank() ? Path.of(System.getProperty("user.home"), ".wave") : Path.of(h);
    }

    Ledger open(CliContext ctx) {
        return Ledgers.open(uri(ctx), home(ctx), ctx.clock(), ethKey(ctx));
    }

    /** The anchor URI, or null when none is configured. */
    String anchorUri(CliContext ctx) {
        if (anchor != null) {
            return anchor;
        }
        String env = ctx.env().apply("WAVE_ANCHOR");
        return env == null || env.isBlank() ? null : env;
    }

    /** Opens the anchor registry; the caller closes it. */
    io.wave.ledger.ethereum.TreeHeadAnchor openAnchor(CliContext ctx) {
        String uri = anchorUri(ctx);
        if (uri == null) {
            throw io.wave.crypto.WaveException.badArgument("no anchor: give --anchor ethereum:http://HOST:PORT?contract=0x... "
                    + "or set WAVE_ANCHOR");
        }
        return io.wave.ledger.ethereum.TreeHeadAnchor.open(io.wave.ledger.ethereum.EthereumConfig.parse(uri, ethKey(ctx)));
    }

    io.wave.ledger.ethereum.KeySource ethKey(CliContext ctx) {
        String env = ctx.env().apply(io.wave.ledger.ethereum.KeySource.ENV);
        return io.wave.ledger.ethereum.KeySource.fileOrEnvironment(ethKeyFile,
                env == null ? java.util.Map.of() : java.util.Map.of(io.wave.ledger.ethereum.KeySource.ENV, env));
    }
}
