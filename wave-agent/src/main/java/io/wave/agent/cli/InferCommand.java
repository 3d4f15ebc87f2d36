package io.wave.agent.cli;

import io.wave.agent.files.EntityFiles;
import io.wave.agent.ml.InferenceServer;
import io.wave.agent.ml.InferenceService;
import io.wave.agent.ml.JsonlAuditLog;
import io.wave.agent.ml.OnnxModel;
import io.wave.crypto.EntityId;
import io.wave.policy.DecisionRecord;
import io.wave.policy.GrantCache;
import io.wave.policy.InferenceGate;
import io.wave.policy.ModelRef;
import io.wave.policy.ProofVerifier;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "infer", mixinStandardHelpOptions = true, description = {
        "Serve a model to callers who hold ml:infer on it, and read the audit trail of its decisions."},
        subcommands = {InferCommand.Serve.class, InferCommand.Audit.class})
final class InferCommand {
    private InferCommand() {}

    /** Where decisions are recorded unless --audit says otherwise. */
    static Path defaultAudit(CliContext ctx) {
        return LedgerOptions.home(ctx).resolve("ml").resolve("audit.jsonl");
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = {
            "Serve an ONNX model over HTTP: POST /v1/infer {\"caller\": ID, \"proof\": PEM|BASE64, \"features\": [...]|{...}}.",
            "The caller's proof must grant ml:infer on NAMESPACE/models/NAME to the caller, now and unrevoked",
            "(checked against the ledger; a status it cannot answer refuses), before the model runs.",
            "Every answer and refusal is appended to the audit log. Prints the URL as its first line; runs until stopped."})
    static final class Serve extends WaveCommand {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "The ONNX model.")
        Path model;

        @Option(names = "--as", required = true, paramLabel = "ENTITY", description = "The model's entity (file or id).")
        String as;

        @Option(names = "--resource", required = true, paramLabel = "NAMESPACE/models/NAME",
                description = "The model's resource, on which callers need ml:infer.")
        String resource;

        @Option(names = "--http", defaultValue = "127.0.0.1:7480", paramLabel = "HOST:PORT",
                description = "Where to listen (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
        String http;

        @Option(names = "--allow-remote", description = "Listen on a non-loopback address (plain HTTP: put TLS in front).")
        boolean allowRemote;

        @Option(names = "--audit", paramLabel = "FILE", description = "The audit log (JSON lines; default $WAVE_HOME/ml/audit.jsonl).")
        Path audit;

        @Mixin
        LedgerOptions ledgerOptions;

        @Override
        public Integer call() throws InterruptedException {
            ModelRef ref = ModelRef.parse(resource);
            EntityId entity = EntityFiles.resolve(as).id();
            LedgerCommand.Listen listen = LedgerCommand.Listen.parse(http, allowRemote);
            OnnxModel onnx = OnnxModel.load(model);
            io.wave.ledger.Ledger ledger = null;
            JsonlAuditLog log = null;
            InferenceServer server;
            try {
                ledger = ledgerOptions.open(context);
                log = JsonlAuditLog.open(audit != null ? audit : defaultAudit(context), true);
                ProofVerifier verifier = ProofVerifier.create(context.clock(), ledger.revocationView())
                        .withCache(new GrantCache(GrantCache.DEFAULT_CAPACITY));
                InferenceService service = new InferenceService(ref, entity, onnx, new InferenceGate(verifier), log,
                        context.clock());
                server = InferenceServer.create(service, c -> {
                    c.host = listen.host();
                    c.port = listen.port();
                }).start();
            } catch (RuntimeException e) {
                closeAll(null, log, ledger, onnx);
                throw e;
            }
            java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
            io.wave.ledger.Ledger l = ledger;
            JsonlAuditLog a = log;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                closeAll(server, a, l, onnx);
                stopped.countDown();
            }, "wave-infer-serve-shutdown"));
            out().println(server.uri());
            out().flush();
            err().println("serving " + model + " as " + entity + " on " + ref + " (" + onnx.signature().featureCount()
                    + " features); audit log " + a.file() + "; stop with Ctrl-C");
            err().flush();
            stopped.await();
            return 0;
        }

        private static void closeAll(InferenceServer server, JsonlAuditLog log, io.wave.ledger.Ledger ledger, OnnxModel onnx) {
            if (server != null) {
                server.close();
            }
            if (log != null) {
                log.close();
            }
            if (ledger != null) {
                ledger.close();
            }
            onnx.close();
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = {
            "Print the newest decisions from an audit log, oldest first: time, verdict, who, what, output, proof."})
    static final class Audit extends WaveCommand {
        @Option(names = "--log", paramLabel = "FILE", description = "The audit log (default $WAVE_HOME/ml/audit.jsonl).")
        Path log;

        @Option(names = "--last", defaultValue = "50", paramLabel = "N", description = "How many (default: ${DEFAULT-VALUE}).")
        int last;

        @Option(names = "--json", description = "Print one JSON object per line, as stored.")
        boolean json;

        @Override
        public Integer call() {
            List<DecisionRecord> records = JsonlAuditLog.read(log != null ? log : defaultAudit(context), last);
            for (DecisionRecord r : records) {
                if (json) {
                    out().println(JsonlAuditLog.line(r));
                } else {
                    out().println(r.time() + "  " + r.reason() + "  " + r.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + "  by " + r.subject() + "  " + r.action() + "  -> " + (r.output() == null ? "-" : r.output())
                            + (Double.isNaN(r.confidence()) ? "" : String.format(java.util.Locale.ROOT, " (%.3f)", r.confidence()))
                            + "  proof " + (r.proof() == null ? "-" : r.proof()) + (r.allowed() ? "" : "  (" + r.detail() + ")"));
                }
            }
            out().flush();
            return 0;
        }
    }
}
