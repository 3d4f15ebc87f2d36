package io.wave.agent.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.wave.agent.files.EntityFiles;
import io.wave.agent.files.WaveFiles;
import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.device.BrokerAddress;
import io.wave.device.CommandClient;
import io.wave.device.CommandResult;
import io.wave.device.ServingCheck;
import io.wave.ledger.Ledger;
import io.wave.policy.Policy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "send", mixinStandardHelpOptions = true, description = {
        "Send a signed command with its proof to a device over MQTT; print the reply.",
        "Send COMMAND to NAMESPACE/RESOURCE over MQTT, signed as --as, with a proof, and print the device's",
        "signed reply. Without --proof, a proof of --permission on the resource is built from the ledger",
        "(or, with --agent or $WAVE_AGENT, by the agent).",
        "The reply counts only from --device ID, or without it from an entity the ledger (or agent) shows",
        "to hold device:serve on the resource; replies from anyone else are ignored.",
        "PARAMS is a JSON object of numbers (at most six decimals) and short texts: '{\"setpoint\": 21.5}'.",
        "Exit codes: 0 the device ran the command, 1 it refused (the reason code is printed),",
        "2 bad input, 3 no reply in time or the broker is unreachable."})
final class SendCommand extends WaveCommand {
    @Option(names = "--as", required = true, paramLabel = "FILE", description = "The sender's entity secret file.")
    Path as;

    @Mixin
    PassphraseOptions passphrase;

    @Option(names = "--proof", paramLabel = "FILE", description = "The sender's proof file (from wave prove).")
    Path proofFile;

    @Option(names = "--permission", defaultValue = "device:actuate", paramLabel = "PSET:PERM",
            description = "Without --proof: the permission to build a proof of (default: ${DEFAULT-VALUE}).")
    String permission;

    @Option(names = "--broker", paramLabel = "URI", description = "MQTT broker tcp://HOST:PORT (default: $WAVE_BROKER).")
    String broker;

    @Option(names = "--device", paramLabel = "ID", description = {"Accept a reply only from this device entity.",
            "Without it, a reply is accepted only from an entity the ledger (or agent) shows to hold",
            "device:serve on the resource, granted from the namespace; others are ignored."})
    String device;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION",
            description = "How long to wait for the reply (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Mixin
    LedgerOptions ledger;

    @Mixin
    AgentOptions agent;

    @Option(names = "--json", description = "Print one JSON object: accepted, code, detail, results, device, command.")
    boolean json;

    @Parameters(index = "0", paramLabel = "NAMESPACE/RESOURCE", description = "Where the command goes.")
    String target;

    @Parameters(index = "1", paramLabel = "COMMAND", description = "The command name, e.g. set.")
    String command;

    @Parameters(index = "2", arity = "0..1", paramLabel = "PARAMS", description = "A JSON object of parameters.")
    String paramsJson;

    @Override
    public Integer call() {
        int slash = target.indexOf('/');
        if (slash != Hash.TEXT_LENGTH || slash == target.length() - 1) {
            throw WaveException.badArgument("target '" + target + "' is not NAMESPACE/RESOURCE (a 44-character "
                    + "namespace id, '/', and a resource such as building1/floor2/hvac/setpoint)");
        }
        EntityId ns = EntityId.parse(target.substring(0, slash));
        String resource = target.substring(slash + 1);
        Map<String, ParamValue> params = params(paramsJson);
        BrokerAddress address = broker(broker, context);
        Duration wait = Durations.parse(timeout);
        EntitySecret sender = EntityFiles.readSecret(as, () -> passphrase.get(context, false));
        EntityId expected = device == null ? null : EntityId.parse(device);
        io.wave.agent.client.AgentClient through = agent.client(context);
        // The ledger is read for the proof (without --proof) and, without --device, to tell the device from
        // anyone else on the broker: only an entity granted device:serve on the resource may answer.
        boolean needLedger = through == null && (proofFile == null || expected == null);
        CommandResult r;
        try (Ledger l = needLedger ? openLedger(expected == null) : null) {
            UnverifiedProof proof = proofFile != null ? readProof(proofFile) : buildProof(sender.id(), ns, resource, through, l);
            ServingCheck serving = expected != null ? null
                    : through != null ? through.servingCheck() : ServingCheck.fromLedger(l, context.clock());
            try (CommandClient client = serving == null
                    ? CommandClient.connect(sender, address, context.clock(), context.random())
                    : CommandClient.connect(sender, address, context.clock(), context.random(), serving)) {
                r = client.send(ns, resource, command, params, proof, expected, wait);
            }
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accepted", r.accepted());
            m.put("code", r.rawCode());
            m.put("detail", r.detail());
            Map<String, Object> results = new TreeMap<>();
            r.results().forEach((k, v) -> results.put(k, v instanceof ParamValue.Number n
                    ? new java.math.BigDecimal(n.toString()) : v.toString()));
            m.put("results", results);
            m.put("device", r.device().toString());
            m.put("command", r.command().toString());
            m.put("round_trip_ms", Math.round(r.roundTrip().toNanos() / 10_000.0) / 100.0);
            m.put("attempts", r.attempts());
            printJson(m);
        } else {
            out().println((r.accepted() ? "OK" : r.rawCode()) + ": " + r.detail());
            r.results().forEach((k, v) -> out().println("  " + k + " = " + v));
            out().println("  (device " + r.device() + ", " + Math.round(r.roundTrip().toNanos() / 10_000.0) / 100.0 + " ms)");
        }
        return r.accepted() ? 0 : 1;
    }

    /** The broker from {@code --broker}, else {@code $WAVE_BROKER}; BAD_ARGUMENT when neither is given. */
    static BrokerAddress broker(String option, CliContext ctx) {
        String uri = option != null ? option : ctx.env().apply(ENV_BROKER);
        if (uri == null || uri.isBlank()) {
            throw WaveException.badArgument("no broker: give --broker tcp://HOST:PORT or set " + ENV_BROKER);
        }
        return BrokerAddress.parse(uri);
    }

    static final String ENV_BROKER = "WAVE_BROKER";

    static Map<String, ParamValue> params(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        JsonNode node;
        try {
            node = JSON.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw WaveException.badArgument("PARAMS is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw WaveException.badArgument("PARAMS is a JSON object, e.g. '{\"setpoint\": 21.5}'");
        }
        Map<String, ParamValue> out = new TreeMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            JsonNode v = e.getValue();
            try {
                if (v.isNumber()) {
                    out.put(e.getKey(), ParamValue.number(v.decimalValue()));
                } else if (v.isTextual()) {
                    out.put(e.getKey(), new ParamValue.Text(v.textValue()));
                } else {
                    throw WaveException.badArgument("parameter '" + e.getKey() + "' is neither a number nor a text");
                }
            } catch (WaveException bad) {
                throw WaveException.badArgument("parameter '" + e.getKey() + "': " + bad.getMessage());
            }
        }
        return out;
    }

    static UnverifiedProof readProof(Path file) {
        for (Pem.Block b : WaveFiles.readBlocks(file, Pem.PROOF)) {
            try {
                return UnverifiedProof.decode(b.der());
            } catch (WaveException e) {
                throw new WaveException(e.code(), file + ": " + e.getMessage());
            }
        }
        throw WaveException.malformed(file + " holds no WAVE PROOF block");
    }

    private UnverifiedProof buildProof(EntityId sender, EntityId ns, String resource,
            io.wave.agent.client.AgentClient through, Ledger l) {
        List<Policy> wanted = List.of(Policy.parse(permission + "@" + ns + "/" + resource));
        if (through != null) {
            return through.proofSource().proofFor(sender, wanted);
        }
        return io.wave.device.ProofSource.fromLedger(l, context.clock()).proofFor(sender, wanted);
    }

    private Ledger openLedger(boolean forServing) {
        try {
            return ledger.open(context);
        } catch (WaveException e) {
            if (!forServing) {
                throw e;
            }
            throw new WaveException(e.code(), e.getMessage() + " (without --device, wave send reads the ledger to "
                    + "check that the device answering holds " + ServingCheck.SERVE + " on the resource; give --ledger, "
                    + "--agent, or pin the device with --device ID)");
        }
    }
}
