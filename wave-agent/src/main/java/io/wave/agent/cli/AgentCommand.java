package io.wave.agent.cli;

import io.wave.agent.client.AgentApi;
import io.wave.agent.daemon.Agent;
import io.wave.ledger.Ledger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "agent", mixinStandardHelpOptions = true, description = {
        "Run the agent daemon: a REST API under /v1 (docs/agent.md).",
        "Services verify proofs through it; people manage grants with the keys it holds.",
        "It keeps a keystore (sealed under the passphrase from --passphrase-file or",
        "$WAVE_PASSPHRASE, never the command line), an index of the grant graph that",
        "follows the ledger, and a cache of verified answers. Prints its URL as its first",
        "line; runs until SIGTERM or Ctrl-C. It holds an embedded ledger open: other",
        "wave commands then use --agent URL (or $WAVE_AGENT), or share a ledger server."})
final class AgentCommand extends WaveCommand {
    @Option(names = "--home", paramLabel = "DIR", description = "The agent's home: keys/, index/, api-token. Default: $WAVE_HOME/agent.")
    Path home;

    @Option(names = "--http", defaultValue = "127.0.0.1:" + AgentApi.DEFAULT_PORT, paramLabel = "HOST:PORT",
            description = "Where to listen (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
    String http;

    @Option(names = "--allow-remote", description = "Listen on a non-loopback address (plain HTTP: put TLS in front).")
    boolean allowRemote;

    @Mixin
    LedgerOptions ledger;

    @Mixin
    PassphraseOptions passphrase;

    @Override
    public Integer call() throws InterruptedException {
        // Where it may listen is the agent's own check (Agent.start), the same for every embedder.
        LedgerCommand.Listen listen = LedgerCommand.Listen.parse(http, true);
        Path dir = home != null ? home : LedgerOptions.home(context).resolve("agent");
        char[] pass = passphrase.get(context, false);
        CountDownLatch stopped = new CountDownLatch(1);
        Ledger l = ledger.open(context);
        Agent agent;
        try {
            agent = Agent.start(c -> {
                c.home = dir;
                c.ledger = l;
                c.ledgerName = ledger.uri(context);
                c.passphrase = pass;
                c.host = listen.host();
                c.port = listen.port();
                c.allowRemote = allowRemote;
                c.clock = context.clock();
                c.random = context.random();
            });
        } catch (RuntimeException e) {
            l.close();
            throw e;
        } finally {
            Arrays.fill(pass, '\0');
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            l.close();
            stopped.countDown();
        }, "wave-agent-shutdown"));
        out().println(agent.uri());
        out().flush();
        err().println("agent listening at " + agent.uri() + " over the ledger " + ledger.uri(context) + "; home " + dir
                + "; API token in " + agent.tokenFile() + "; stop with Ctrl-C");
        err().flush();
        stopped.await();
        return 0;
    }
}
