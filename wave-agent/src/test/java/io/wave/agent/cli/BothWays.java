package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wave.agent.daemon.Agent;
import io.wave.agent.daemon.TestAgent;
import io.wave.ledger.Ledger;
import io.wave.ledger.Ledgers;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.server.LedgerServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * One ledger, served by a ledger server, and two CLIs on it: {@link #local} runs each verb itself, {@link #remote}
 * runs it through an agent (in process, over the same server). What {@code --agent} promises is that the two
 * print the same and exit alike; {@link #same} checks that.
 */
final class BothWays implements AutoCloseable {
    static final String PASSPHRASE = "the agent's passphrase";

    final EmbeddedLedger stored;
    final LedgerServer server;
    final String ledgerUrl;
    final Ledger agentLedger;
    final Agent agent;
    final String token;
    final CliHarness local;
    final CliHarness remote;

    private BothWays(Path dir) throws Exception {
        stored = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC());
        server = LedgerServer.create(stored, c -> c.port = 0).start();
        ledgerUrl = server.uri().toString();
        agentLedger = Ledgers.open(ledgerUrl, dir.resolve("agent-ledger-state"), Clock.systemUTC());
        agent = Agent.start(TestAgent.config(dir, agentLedger, PASSPHRASE).andThen(c -> c.ledgerName = ledgerUrl));
        token = Files.readString(agent.tokenFile()).strip();
        local = new CliHarness("BothWays-local", dir.resolve("local-home"));
        local.clock = Clock.systemUTC();
        local.env.put("WAVE_LEDGER", ledgerUrl);
        remote = new CliHarness("BothWays-remote", dir.resolve("remote-home"));
        remote.clock = Clock.systemUTC();
        remote.env.put("WAVE_AGENT", agent.uri().toString());
        remote.env.put("WAVE_AGENT_TOKEN", token);
    }

    static BothWays start(Path dir) throws Exception {
        return new BothWays(dir);
    }

    /**
     * Runs {@code args} through the agent, then locally; both must exit with {@code code} and print the same on
     * stdout and on stderr. Returns the local run.
     */
    CliHarness.Run same(int code, String... args) {
        CliHarness.Run viaAgent = expect(remote, code, args);
        CliHarness.Run here = expect(local, code, args);
        String what = String.join(" ", args);
        assertEquals(here.out(), viaAgent.out(), () -> what + ": stdout locally and through the agent");
        assertEquals(here.err(), viaAgent.err(), () -> what + ": stderr locally and through the agent");
        return here;
    }

    /** Runs {@code args} on {@code cli}, which must exit with {@code code}. */
    static CliHarness.Run expect(CliHarness cli, int code, String... args) {
        CliHarness.Run r = cli.run(args);
        assertEquals(code, r.code(), () -> String.join(" ", args) + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        return r;
    }

    @Override
    public void close() {
        agent.close();
        agentLedger.close();
        server.stop();
        stored.close();
    }
}
