package io.wave.agent.cli;

import io.wave.agent.files.EntityFiles;
import io.wave.crypto.EntityId;
import io.wave.crypto.objects.EntitySecret;
import io.wave.device.DeviceAgent;
import io.wave.device.Served;
import io.wave.device.Topics;
import io.wave.device.broker.Broker;
import io.wave.device.broker.EmbeddedBroker;
import io.wave.device.sim.Thermostat;
import io.wave.ledger.Ledger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "device", mixinStandardHelpOptions = true, description = "Run devices that serve only proven commands.",
        subcommands = {DeviceCommand.Simulate.class})
final class DeviceCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "device what? 'simulate'");
    }

    /** Where devices run from the CLI keep their nonce journals, one file per device entity. */
    static Path defaultState(CliContext ctx) {
        return LedgerOptions.home(ctx).resolve("devices");
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true, description = {
            "Run a simulated thermostat behind a device agent until stopped (Ctrl-C or SIGTERM).",
            "It serves 'set' (device:actuate; setpoint, mode) and 'read' (device:read) on each RESOURCE,",
            "and warns when the ledger shows no device:serve grant for it there (clients that do not pin",
            "the device with --device ignore the replies of a device without one),",
            "checks every command's proof, signature, freshness, nonce, caveats and revocation status,",
            "and answers everything with a reply signed by the device's entity.",
            "Without --broker it starts an embedded MQTT broker on 127.0.0.1 and prints its URI.",
            "The nonces of the commands it checked are kept in --state, so none runs twice across restarts;",
            "where it has none (its first start, unless --new-device), it refuses commands signed within one",
            "freshness window (30 s) of its start, since one of those might have run before.",
            "The device follows the ledger for revocations: with the embedded ledger it holds it while it",
            "runs, so to revoke from another terminal serve the ledger (wave ledger serve) and give both",
            "sides --ledger http://HOST:PORT."})
    static final class Simulate extends WaveCommand {
        @Option(names = "--as", required = true, paramLabel = "FILE", description = "The device's entity secret file.")
        Path as;

        @Mixin
        PassphraseOptions passphrase;

        @Option(names = "--namespace", required = true, paramLabel = "ID", description = "The namespace the device serves in.")
        String namespace;

        @Option(names = "--resource", required = true, paramLabel = "RESOURCE",
                description = "A resource to serve, e.g. building1/floor2/hvac/setpoint (repeatable).")
        List<String> resources;

        @Option(names = "--broker", paramLabel = "URI",
                description = "MQTT broker tcp://HOST:PORT (default: $WAVE_BROKER, else an embedded broker started here).")
        String broker;

        @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
                description = "Port for the embedded broker (default: a free one).")
        int port;

        @Option(names = "--setpoint", defaultValue = "21", paramLabel = "C", description = "Initial setpoint (default: ${DEFAULT-VALUE}).")
        double setpoint;

        @Mixin
        LedgerOptions ledger;

        @Mixin
        DeviceStateOptions deviceState;

        @Option(names = "--json", description = "Print one JSON object per line: the start, then each command served.")
        boolean json;

        /** Released by the shutdown hook (Ctrl-C, SIGTERM); in-process callers interrupt the thread instead. */
        private final CountDownLatch stopped = new CountDownLatch(1);

        @Override
        public Integer call() {
            EntityId ns = EntityId.parse(namespace);
            EntitySecret device = EntityFiles.readSecret(as, () -> passphrase.get(context, false));
            String brokerUri = broker != null ? broker : context.env().apply(SendCommand.ENV_BROKER);
            Broker embedded = null;
            Ledger l = null;
            DeviceAgent agent = null;
            Thread hook = new Thread(stopped::countDown, "wave-device-stop");
            try {
                if (brokerUri == null || brokerUri.isBlank()) {
                    embedded = EmbeddedBroker.start(port);
                    brokerUri = embedded.address().serverUri();
                }
                l = ledger.open(context);
                Path stateDir = deviceState.prepare(context, device.id());
                Thermostat t = new Thermostat(setpoint, setpoint);
                DeviceAgent.Builder b = DeviceAgent.builder().entity(device).namespace(ns).broker(brokerUri).ledger(l)
                        .clock(context.clock()).observer(this::served).stateDirectory(stateDir);
                for (String r : resources) {
                    t.serve(b, r);
                }
                agent = b.start();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("event", "started");
                m.put("device", device.id().toString());
                m.put("broker", brokerUri);
                m.put("embedded_broker", embedded != null);
                m.put("ledger", ledger.uri(context));
                m.put("topics", resources.stream().map(r -> Topics.command(ns, r)).toList());
                m.put("state", stateDir.toString());
                m.put("refuses_signed_before", agent.refusesSignedBefore().map(Object::toString).orElse(null));
                if (json) {
                    printJson(m);
                } else {
                    out().println("broker: " + brokerUri + (embedded != null ? " (embedded)" : ""));
                    out().println("device: " + device.id());
                    resources.forEach(r -> out().println("serving: " + Topics.command(ns, r)));
                    agent.refusesSignedBefore().ifPresent(floor -> out().println("refusing commands signed before " + floor
                            + ": no nonces remembered in " + stateDir + ", and one signed earlier might have run"));
                    out().flush();
                }
                warnUnlessServing(l, ns, device.id());
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    // Stopped by whoever runs us in-process (tests, testnet): a clean stop, not a failure.
                    Thread.currentThread().interrupt();
                }
                return 0;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is what is stopping us.
                }
                if (agent != null) {
                    agent.close();
                }
                if (l != null) {
                    l.close();
                }
                if (embedded != null) {
                    embedded.close();
                }
            }
        }

        /**
         * Says, on stderr, which resources the device holds no {@code device:serve} proof for: a client that
         * does not pin it ({@code wave send} without {@code --device}) ignores its replies there.
         */
        private void warnUnlessServing(Ledger l, EntityId ns, EntityId id) {
            io.wave.device.ServingCheck check = io.wave.device.ServingCheck.fromLedger(l, context.clock());
            for (String r : resources) {
                String why;
                try {
                    io.wave.device.ServingCheck.Entitlement e = check.check(id, ns, r);
                    if (e.entitled()) {
                        continue;
                    }
                    why = e.detail();
                } catch (io.wave.crypto.WaveException e) {
                    why = "cannot tell: " + e.getMessage();
                }
                err().println("warning: the ledger shows no " + io.wave.device.ServingCheck.SERVE + " for this device on "
                        + r + " (" + why + "); clients that do not pin it with --device ignore its replies there. "
                        + "Grant it: wave grant --attester NAMESPACE.ent --subject " + id + " '"
                        + io.wave.device.ServingCheck.servePolicy(ns, r) + "'");
            }
            err().flush();
        }

        private synchronized void served(Served s) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("event", "served");
                m.put("code", s.code().name());
                m.put("command", s.command());
                m.put("resource", s.resource());
                m.put("sender", s.sender() == null ? null : s.sender().toString());
                m.put("detail", s.detail());
                printJson(m);
            } else {
                out().println((s.code() == io.wave.device.ReplyCode.OK ? "OK" : "REFUSED " + s.code()) + " "
                        + (s.command() == null ? "(not a command)" : s.command() + " " + s.resource() + " from "
                                + s.sender()) + ": " + s.detail());
                out().flush();
            }
        }
    }
}
