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
        "Serve models to proven callers; let a model act within its own grant.",
        "Serve a model to callers who hold ml:infer on it, let a model drive a device within its own grant,",
        "and read the audit trail of its decisions."},
        subcommands = {InferCommand.Serve.class, InferCommand.Control.class, InferCommand.Audit.class})
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

        @Option(names = "--broker", paramLabel = "URI", description = {
                "Also serve over MQTT (tcp://HOST:PORT): signed requests, command 'infer' on the model's resource,",
                "answered with replies signed by the model's entity (then --as must be the model's secret file).",
                "Request nonces are kept in --state so none runs twice across restarts; where it has none (its",
                "first start, unless --new-device), it refuses requests signed within one window (30 s) of it."})
        String broker;

        @Mixin
        DeviceStateOptions deviceState;

        @Mixin
        PassphraseOptions passphrase;

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
            io.wave.crypto.objects.EntitySecret secret = broker == null ? null
                    : EntityFiles.readSecret(Path.of(as), () -> passphrase.get(context, false));
            io.wave.device.DeviceAgent mqtt = null;
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
                if (secret != null) {
                    try {
                        mqtt = io.wave.agent.ml.MqttInference.serve(io.wave.device.DeviceAgent.builder().entity(secret)
                                .namespace(ref.namespace()).broker(broker).ledger(ledger).clock(context.clock())
                                .stateDirectory(deviceState.prepare(context, secret.id())), service).start();
                    } catch (RuntimeException e) {
                        server.close();
                        throw e;
                    }
                }
            } catch (RuntimeException e) {
                closeAll(null, log, ledger, onnx);
                throw e;
            }
            io.wave.device.DeviceAgent m = mqtt;
            java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
            io.wave.ledger.Ledger l = ledger;
            JsonlAuditLog a = log;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (m != null) {
                    m.close();
                }
                closeAll(server, a, l, onnx);
                stopped.countDown();
            }, "wave-infer-serve-shutdown"));
            out().println(server.uri());
            out().flush();
            err().println("serving " + model + " as " + entity + " on " + ref + " (" + onnx.signature().featureCount()
                    + " features); audit log " + a.file() + (m == null ? "" : "; MQTT on "
                    + io.wave.device.Topics.command(ref.namespace(), ref.resource().toString()) + " via " + broker
                    + m.refusesSignedBefore().map(t -> " (refusing requests signed before " + t
                            + ": no remembered nonces)").orElse(""))
                    + "; stop with Ctrl-C");
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

    @Command(name = "control", mixinStandardHelpOptions = true, description = {
            "Run a model as a controller: read sensor rows from an MQTT topic (JSON: an array of features, or",
            "an object by feature name), predict, map the label to a setting (--map LABEL=VALUE), and send it",
            "to the device as COMMAND with PARAM=VALUE and the prediction's confidence, signed by the model's",
            "entity under the model's own proof. The gate refuses (and records) any decision outside the",
            "model's caveats before it reaches the wire; the device checks the proof again. One line per row."})
    static final class Control extends WaveCommand {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "The ONNX model.")
        Path model;

        @Option(names = "--as", required = true, paramLabel = "FILE", description = "The model's entity secret file.")
        Path as;

        @Mixin
        PassphraseOptions passphrase;

        @Option(names = "--proof", required = true, paramLabel = "FILE",
                description = "The model's proof of PSET:PERM on the target (from wave prove).")
        Path proofFile;

        @Option(names = "--target", required = true, paramLabel = "NAMESPACE/RESOURCE", description = "The device resource.")
        String target;

        @Option(names = "--permission", defaultValue = "device:actuate", paramLabel = "PSET:PERM",
                description = "What the decisions use on the target (default: ${DEFAULT-VALUE}).")
        String permission;

        @Option(names = "--command", defaultValue = "set", paramLabel = "NAME", description = "The device's command (default: ${DEFAULT-VALUE}).")
        String command;

        @Option(names = "--param", defaultValue = "setpoint", paramLabel = "NAME",
                description = "The command parameter a setting goes in (default: ${DEFAULT-VALUE}).")
        String param;

        @Option(names = "--map", required = true, paramLabel = "LABEL=VALUE",
                description = "The setting for a predicted label, repeatable, e.g. occupied=22 vacant=17.")
        List<String> map;

        @Option(names = "--sensors", required = true, paramLabel = "TOPIC", description = "The MQTT topic sensor rows arrive on.")
        String sensors;

        @Option(names = "--broker", paramLabel = "URI", description = "MQTT broker tcp://HOST:PORT (default: $WAVE_BROKER).")
        String broker;

        @Option(names = "--device", paramLabel = "ID", description = {"Accept replies only from this device entity",
                "(default: from an entity the ledger shows to hold device:serve on the target)."})
        String device;

        @Option(names = "--count", defaultValue = "0", paramLabel = "N",
                description = "Stop after N sensor rows (default: run until stopped).")
        int count;

        @Option(names = "--audit", paramLabel = "FILE", description = "The audit log (JSON lines; default $WAVE_HOME/ml/audit.jsonl).")
        Path audit;

        @Mixin
        LedgerOptions ledgerOptions;

        @Option(names = "--json", description = "Print one JSON object per sensor row.")
        boolean json;

        /** Rows waiting for the model: a controller acts on the present, so a backlog drops its oldest. */
        static final int BACKLOG = 64;

        @Override
        public Integer call() {
            java.util.Map<String, java.math.BigDecimal> settings = new java.util.LinkedHashMap<>();
            for (String m : map) {
                int eq = m.indexOf('=');
                if (eq <= 0) {
                    throw io.wave.crypto.WaveException.badArgument("--map takes LABEL=VALUE, not '" + m + "'");
                }
                try {
                    // Exact, and at most six decimals (else BAD_ARGUMENT): what a command carries and a caveat bounds.
                    java.math.BigDecimal v = new java.math.BigDecimal(m.substring(eq + 1).strip());
                    io.wave.crypto.objects.ParamValue.number(v);
                    settings.put(m.substring(0, eq), v);
                } catch (NumberFormatException e) {
                    throw io.wave.crypto.WaveException.badArgument("--map " + m + ": the value is not a number");
                }
            }
            io.wave.policy.Policy targetPolicy = io.wave.policy.Policy.parse(permission + "@" + target);
            io.wave.device.BrokerAddress address = SendCommand.broker(broker, context);
            io.wave.crypto.objects.EntitySecret secret = EntityFiles.readSecret(as, () -> passphrase.get(context, false));
            io.wave.crypto.objects.UnverifiedProof proof = SendCommand.readProof(proofFile);
            EntityId expected = device == null ? null : EntityId.parse(device);
            java.util.concurrent.BlockingQueue<byte[]> rows = new java.util.concurrent.ArrayBlockingQueue<>(BACKLOG);
            try (OnnxModel onnx = OnnxModel.load(model);
                    io.wave.ledger.Ledger ledger = ledgerOptions.open(context);
                    JsonlAuditLog log = JsonlAuditLog.open(audit != null ? audit : defaultAudit(context), true);
                    // Unpinned, a reply counts only from an entity the ledger shows to hold device:serve on the target.
                    io.wave.device.CommandClient client = io.wave.device.CommandClient.connect(secret, address,
                            context.clock(), context.random(), io.wave.device.ServingCheck.fromLedger(ledger, context.clock()));
                    io.wave.device.internal.MqttLink feed = io.wave.device.internal.MqttLink.connect(address,
                            "wave-control-" + secret.id().toString().substring(0, 12), false, 1 << 20,
                            java.time.Duration.ofSeconds(10), (topic, payload, rt, corr) -> {
                                while (!rows.offer(payload)) {
                                    rows.poll();
                                }
                            }, List.of(sensors))) {
                java.util.concurrent.atomic.AtomicReference<io.wave.device.CommandResult> sent =
                        new java.util.concurrent.atomic.AtomicReference<>();
                ProofVerifier verifier = ProofVerifier.create(context.clock(), ledger.revocationView())
                        .withCache(new GrantCache(GrantCache.DEFAULT_CAPACITY));
                io.wave.agent.ml.DecisionPath path = new io.wave.agent.ml.DecisionPath(new InferenceGate(verifier), log,
                        new io.wave.agent.ml.DeviceCommandSink(client, command, expected, java.time.Duration.ofSeconds(10),
                                sent::set), context.clock());
                io.wave.agent.ml.Controller controller = new io.wave.agent.ml.Controller(onnx, path, secret.id(),
                        targetPolicy, proof, param, settings);
                err().println("controlling " + target + " from " + sensors + " as " + secret.id() + "; stop with Ctrl-C");
                err().flush();
                for (int n = 0; count == 0 || n < count; n++) {
                    byte[] row = rows.take();
                    sent.set(null);
                    report(row, controller, sent);
                }
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }

        private void report(byte[] row, io.wave.agent.ml.Controller controller,
                java.util.concurrent.atomic.AtomicReference<io.wave.device.CommandResult> sent) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            try {
                float[] features = io.wave.agent.ml.Controller.features(JSON.readTree(row), controller);
                io.wave.agent.ml.Controller.Step step = controller.step(features);
                m.put("label", step.prediction().label());
                m.put("confidence", Math.round(step.prediction().confidence() * 1e4) / 1e4);
                m.put("decision", step.record() == null ? "none" : step.record().reason().name());
                m.put("detail", step.record() == null ? "no setting for this label" : step.record().detail());
                io.wave.device.CommandResult r = sent.get();
                m.put("device", r == null ? null : r.rawCode());
                m.put("device_detail", r == null ? null : r.detail());
            } catch (java.io.IOException e) {
                m.put("decision", "MALFORMED");
                m.put("detail", "a sensor row is JSON: " + e.getMessage().lines().findFirst().orElse(""));
            } catch (io.wave.crypto.WaveException e) {
                m.put("decision", e.code().name());
                m.put("detail", e.getMessage());
            }
            if (json) {
                printJson(m);
            } else {
                out().println(m.get("decision") + (m.containsKey("label") ? " " + m.get("label") + " (" + m.get("confidence")
                        + ")" : "") + ": " + m.get("detail") + (m.get("device") == null ? ""
                        : " -> device " + m.get("device") + ": " + m.get("device_detail")));
                out().flush();
            }
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
