package io.wave.agent.cli;

import io.wave.agent.audit.KeptHeads;
import io.wave.agent.audit.LedgerAudit;
import io.wave.agent.client.AgentClient;
import io.wave.crypto.WaveException;
import io.wave.ledger.Ledger;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.VerifiableLedger;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ledger", mixinStandardHelpOptions = true, description = "Inspect and audit the ledger.",
        subcommands = {LedgerCommand.Status.class, LedgerCommand.Audit.class, LedgerCommand.Serve.class,
                LedgerCommand.Deploy.class, LedgerCommand.Anchor.class})
final class LedgerCommand {

    /** What status and audit both establish about a verified head: kept and anchored heads it extends. */
    record HeadCheck(SignedTreeHead head, int kept, List<io.wave.ledger.ethereum.AnchoredHead> anchored) {
        java.util.Optional<io.wave.ledger.ethereum.AnchoredHead> latestAnchored() {
            return anchored.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(anchored.get(anchored.size() - 1));
        }
    }

    /**
     * Checks {@code head} (already verified under the ledger's key) against the heads kept from earlier runs
     * and, when an anchor is configured, against every anchored head; then keeps it.
     *
     * @throws WaveException TAMPERED when the history does not extend one of them
     */
    static HeadCheck checkHead(VerifiableLedger v, SignedTreeHead head, LedgerOptions options, CliContext ctx) {
        List<io.wave.ledger.ethereum.AnchoredHead> anchored = List.of();
        if (options.anchorUri(ctx) != null) {
            try (io.wave.ledger.ethereum.TreeHeadAnchor a = options.openAnchor(ctx)) {
                anchored = a.audit(v).anchored();
            }
        }
        int kept = new KeptHeads(LedgerOptions.home(ctx), v.treeHeadKey()).checkAndKeep(v, head);
        return new HeadCheck(head, kept, anchored);
    }

    /**
     * The agent to ask instead of the ledger, or null. The agent checks no anchor, so an anchor given here
     * (or in $WAVE_ANCHOR) would go unchecked: refused rather than silently skipped.
     */
    private static AgentClient agentFor(AgentOptions agent, LedgerOptions ledger, CliContext ctx) {
        AgentClient client = agent.client(ctx);
        if (client != null && ledger.anchorUri(ctx) != null) {
            throw WaveException.badArgument("--anchor (or $WAVE_ANCHOR) cannot be used with --agent: the agent checks no "
                    + "anchored heads; check them locally against a ledger server");
        }
        return client;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = {
            "Show the ledger's size and signed tree head.",
            "The head is checked against the heads kept from earlier runs (in $WAVE_HOME/heads) and kept.",
            "Through an agent (--agent URL or $WAVE_AGENT), the agent checks its ledger's",
            "head against the heads it has kept in its own home: the answer is as good as",
            "the agent's word."})
    static final class Status extends WaveCommand {
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Mixin
        LedgerOptions ledger;

        @Mixin
        AgentOptions agent;

        @Override
        public Integer call() {
            AgentClient client = agentFor(agent, ledger, context);
            Map<String, Object> m;
            if (client != null) {
                m = asMap(client.ledgerStatus());
            } else {
                try (Ledger l = ledger.open(context)) {
                    VerifiableLedger v = LedgerAudit.verifiable(l);
                    Integer queued = LedgerAudit.flushQueued(l);
                    SignedTreeHead head = v.head().verify(v.treeHeadKey());
                    HeadCheck check = checkHead(v, head, ledger, context);
                    m = Describe.ledgerStatus(ledger.uri(context), head, v.treeHeadKey(), check.kept(),
                            check.latestAnchored().orElse(null), queued);
                }
            }
            if (json) {
                printJson(m);
                return 0;
            }
            Map<?, ?> head = (Map<?, ?>) m.get("head");
            Map<?, ?> anchored = (Map<?, ?>) m.get("anchoredHead");
            out().println("ledger:      " + m.get("ledger"));
            out().println("size:        " + m.get("size"));
            out().println("root:        " + head.get("root"));
            out().println("signed at:   " + head.get("timestamp"));
            out().println("key:         " + m.get("key"));
            out().println("kept heads:  " + m.get("keptHeads") + " (consistent)");
            out().println("anchored:    " + (anchored == null ? "none"
                    : "size " + anchored.get("size") + " at " + anchored.get("anchor") + " (the log extends it)"));
            if (m.get("queuedPublishes") != null) {
                out().println("queued:      " + m.get("queuedPublishes") + " publish(es) waiting for the server");
            }
            return 0;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = {
            "Re-check the ledger: recompute the Merkle root from every entry, check the signed head,",
            "and prove consistency with every head kept from earlier runs. Exit 3 (TAMPERED) on any mismatch.",
            "Through an agent (--agent URL or $WAVE_AGENT, with its API token), the agent",
            "audits its ledger against the heads it has kept: the answer is as good as the",
            "agent's word."})
    static final class Audit extends WaveCommand {
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Mixin
        LedgerOptions ledger;

        @Mixin
        AgentOptions agent;

        @Override
        public Integer call() {
            AgentClient client = agentFor(agent, ledger, context);
            Map<String, Object> m;
            if (client != null) {
                m = asMap(client.ledgerAudit());
            } else {
                try (Ledger l = ledger.open(context)) {
                    VerifiableLedger v = LedgerAudit.verifiable(l);
                    SignedTreeHead head = v.head().verify(v.treeHeadKey());
                    LedgerAudit.recompute(v, head);
                    HeadCheck check = checkHead(v, head, ledger, context);
                    m = Describe.ledgerAudit(head, check.kept(), check.anchored().size());
                }
            }
            if (json) {
                printJson(m);
            } else {
                out().println("audit: ok: " + m.get("size") + " entries hash to the signed root " + m.get("root")
                        + "; consistent with " + m.get("keptHeads") + " kept head(s)"
                        + (ledger.anchorUri(context) == null ? "" : " and " + m.get("anchoredHeads") + " anchored head(s)"));
            }
            return 0;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(com.fasterxml.jackson.databind.JsonNode answer) {
        return WaveCommand.JSON.convertValue(answer, Map.class);
    }
    @Command(name = "serve", mixinStandardHelpOptions = true, description = {
            "Serve an embedded ledger over HTTP, so that several agents and devices share it.",
            "Clients use --ledger http://HOST:PORT and verify every head and proof they are served.",
            "Prints the URL it listens on as its first line; runs until stopped (SIGTERM or Ctrl-C)."})
    static final class Serve extends WaveCommand {
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "The embedded ledger's directory.")
        java.nio.file.Path data;

        @Option(names = "--http", defaultValue = "127.0.0.1:7470", paramLabel = "HOST:PORT",
                description = "Where to listen (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
        String http;

        @Option(names = "--publish-rate", defaultValue = "20", paramLabel = "N",
                description = "Publishes per second each client address may make once its burst is spent (default: ${DEFAULT-VALUE}).")
        double publishRate;

        @Option(names = "--publish-burst", defaultValue = "100", paramLabel = "N",
                description = "Publishes each client address may make at once (default: ${DEFAULT-VALUE}).")
        int publishBurst;

        @Option(names = "--allow-remote", description = "Listen on a non-loopback address (plain HTTP: put TLS in front).")
        boolean allowRemote;

        @Override
        public Integer call() throws InterruptedException {
            Listen listen = Listen.parse(http, allowRemote);
            String host = listen.host();
            int port = listen.port();
            java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
            io.wave.ledger.embedded.EmbeddedLedger ledger = io.wave.ledger.embedded.EmbeddedLedger.open(data, context.clock());
            io.wave.ledger.server.LedgerServer server;
            try {
                server = io.wave.ledger.server.LedgerServer.create(ledger, c -> {
                    c.host = host;
                    c.port = port;
                    c.publishesPerSecond = publishRate;
                    c.publishBurst = publishBurst;
                }).start();
            } catch (RuntimeException e) {
                ledger.close();
                throw e;
            }
            Thread hook = new Thread(() -> {
                server.stop();
                ledger.close();
                stopped.countDown();
            }, "wave-ledger-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out().println(server.uri());
            out().flush();
            err().println("serving the ledger at " + data + " (" + ledger.size() + " entries, key "
                    + Describe.hex(ledger.treeHeadKey().encoded()) + "); stop with Ctrl-C");
            err().flush();
            stopped.await();
            return 0;
        }
    }

    /** A server's {@code --http HOST:PORT}, loopback unless {@code --allow-remote}: servers here speak plain HTTP. */
    record Listen(String host, int port) {
        static Listen parse(String http, boolean allowRemote) {
            int colon = http.lastIndexOf(':');
            if (colon <= 0) {
                throw WaveException.badArgument("--http '" + http + "' is not HOST:PORT");
            }
            String host = http.substring(0, colon);
            int port;
            try {
                port = Integer.parseInt(http.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw WaveException.badArgument("--http '" + http + "': the port is not a number");
            }
            if (!allowRemote && !isLoopback(host)) {
                throw WaveException.badArgument("--http " + host + " is not a loopback address; the server speaks plain "
                        + "HTTP, so say --allow-remote if you mean it (and put TLS in front)");
            }
            return new Listen(host, port);
        }

        private static boolean isLoopback(String host) {
            try {
                return java.net.InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                throw WaveException.badArgument("--http: unknown host " + host);
            }
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true, description = {
            "Deploy the WAVE registry contract on an Ethereum node; print its address as the last line.",
            "  wave ledger deploy --ledger ethereum:http://HOST:PORT [--eth-key-file FILE]   (or $WAVE_ETH_KEY)",
            "Then use --ledger ethereum:http://HOST:PORT?contract=ADDRESS."})
    static final class Deploy extends WaveCommand {
        @Mixin
        LedgerOptions ledger;

        @Override
        public Integer call() {
            String uri = ledger.uri(context);
            if (!uri.startsWith(io.wave.ledger.ethereum.EthereumConfig.SCHEME)) {
                throw WaveException.badArgument("deploy needs --ledger ethereum:http://HOST:PORT, not '" + uri + "'");
            }
            String rpc = uri.substring(io.wave.ledger.ethereum.EthereumConfig.SCHEME.length());
            int q = rpc.indexOf('?');
            if (q >= 0) {
                rpc = rpc.substring(0, q);
            }
            String address = io.wave.ledger.ethereum.EthereumRegistry.deploy(rpc, ledger.ethKey(context).load());
            err().println("deployed the WAVE registry; use --ledger " + io.wave.ledger.ethereum.EthereumConfig.SCHEME + rpc
                    + "?contract=" + address);
            out().println(address);
            return 0;
        }
    }

    @Command(name = "anchor", mixinStandardHelpOptions = true, description = {
            "Anchor the ledger's current signed tree head on Ethereum (anchored mode).",
            "The objects stay in the embedded or server log; one transaction records the head, so anyone can",
            "later prove the log extends it (ledger status/audit --anchor). Prints the transaction hash.",
            "  wave ledger anchor [--ledger URI] --anchor ethereum:http://HOST:PORT?contract=0x... [--eth-key-file FILE]"})
    static final class Anchor extends WaveCommand {
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Mixin
        LedgerOptions ledger;

        @Override
        public Integer call() {
            try (Ledger l = ledger.open(context); io.wave.ledger.ethereum.TreeHeadAnchor a = ledger.openAnchor(context)) {
                io.wave.ledger.ethereum.AnchoredHead h = a.anchor(LedgerAudit.verifiable(l));
                if (json) {
                    printJson(Describe.anchored(h));
                } else {
                    err().println("anchored the head of " + h.head().size() + " entries (root " + h.head().rootHex()
                            + ") in block " + h.block());
                    out().println(h.transaction());
                }
            }
            return 0;
        }
    }
}
