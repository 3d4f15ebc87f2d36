package io.wave.testnet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.agent.cli.CliContext;
import io.wave.crypto.WaveException;
import io.wave.testnet.Testnet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wave testnet up}: a whole local network until Ctrl-C. */
@Command(name = "testnet", mixinStandardHelpOptions = true,
        description = "A whole local network in one command: testnet up (ledger, broker, agent, devices).",
        subcommands = {TestnetCommand.Up.class, picocli.CommandLine.HelpCommand.class})
public final class TestnetCommand implements Runnable {
    @Spec
    CommandSpec spec;

    final CliContext context;

    public TestnetCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "testnet what? 'up'");
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = {
            "Start, in this process and on loopback, a ledger, an MQTT broker, an agent",
            "and a small building of simulated devices (two thermostats, two lights, a",
            "motion sensor) under one namespace. Prints what it started, where, and the",
            "entity files and commands to grant, send and revoke with; runs until Ctrl-C",
            "(or SIGTERM), then stops every part and frees every port it took."})
    static final class Up implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        TestnetCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "Keep the network's files (ledger, entity files, agent home) here; default: a scratch directory removed at exit.")
        Path dir;

        @Option(names = "--ledger", defaultValue = "server", paramLabel = "KIND", description = {
                "server (default): an embedded ledger served over HTTP;",
                "ethereum: ganache from the build's npm install, with the registry contract deployed."})
        String ledger;

        @Option(names = "--broker", defaultValue = "embedded", paramLabel = "BROKER", description = {
                "embedded (default), mosquitto (started here; apt-get install mosquitto), or tcp://HOST:PORT of a",
                "running broker."})
        String broker;

        @Option(names = "--no-agent", negatable = false, description = "Do not start the agent daemon.")
        boolean noAgent;

        @Option(names = "--json", description = "When ready, print one JSON object (ports, files, devices, URIs) instead of the text.")
        boolean json;

        @Override
        public Integer call() throws InterruptedException {
            CliContext context = parent.context;
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Testnet.LedgerKind kind = switch (ledger) {
                case "server", "embedded" -> Testnet.LedgerKind.SERVER;
                case "ethereum" -> Testnet.LedgerKind.ETHEREUM;
                default -> throw WaveException.badArgument("--ledger is server or ethereum, not '" + ledger + "'");
            };
            Path eth = ethDirectory(context);
            CountDownLatch stopped = new CountDownLatch(1);
            Testnet net = Testnet.start(c -> {
                c.dir = dir;
                c.ledger = kind;
                c.broker = broker;
                c.ethDir = eth;
                c.agent = !noAgent;
                c.clock = context.clock();
                c.random = context.random();
                c.progress = line -> {
                    (json ? err : out).println(line);
                    (json ? err : out).flush();
                };
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                net.close();
                stopped.countDown();
            }, "wave-testnet-shutdown"));
            if (json) {
                try {
                    out.println(new ObjectMapper().writeValueAsString(describe(net)));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                printGuide(net, out);
            }
            out.flush();
            stopped.await();
            return 0;
        }

        private static Map<String, Object> describe(Testnet net) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ready", true);
            m.put("dir", net.dir().toString());
            m.put("namespace", net.namespace().toString());
            m.put("ledger", net.ledgerUri());
            net.ethKey().ifPresent(k -> m.put("eth_key_file", net.files().get("eth-key").toString()));
            m.put("broker", net.broker().serverUri());
            net.agent().ifPresent(a -> m.put("agent", a.uri().toString()));
            m.put("ports", net.ports());
            m.put("pid", ProcessHandle.current().pid());
            Map<String, String> files = new LinkedHashMap<>();
            net.files().forEach((k, v) -> files.put(k, v.toString()));
            m.put("files", files);
            List<Map<String, Object>> devices = net.devices().stream().map(d -> {
                Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("name", d.name());
                dm.put("kind", d.kind());
                dm.put("resource", net.namespace() + "/" + d.resource());
                dm.put("entity", d.id().toString());
                dm.put("commands", d.commands());
                return dm;
            }).toList();
            m.put("devices", devices);
            return m;
        }

        private static void printGuide(Testnet net, PrintWriter out) {
            Map<String, Path> f = net.files();
            String ns = net.namespace().toString();
            out.println();
            out.println("testnet up in " + net.dir() + " (namespace " + ns + ")");
            out.println("  namespace owner:  " + f.get("owner") + "   (may grant anything on the building)");
            out.println("  you:              " + f.get("user") + "   (holds nothing until granted)");
            out.println("  (entity files here are in the clear: throwaway keys for a local network)");
            out.println();
            out.println("In another shell, from this checkout:");
            StringBuilder env = new StringBuilder("  export WAVE_HOME=" + net.dir().resolve("cli") + " WAVE_LEDGER='"
                    + net.ledgerUri() + "' WAVE_BROKER=" + net.broker().serverUri());
            net.ethKey().ifPresent(k -> env.append(" WAVE_ETH_KEY=").append(k));
            out.println(env);
            out.println("  T=" + net.dir() + " NS=" + ns);
            out.println("  ./wave grant --attester $T/entities/owner.ent --subject $T/entities/you.ent --expiry 1h \\");
            out.println("      --out $T/you.grant \"device:actuate,read@$NS/building1/floor1/*\"");
            out.println("  ./wave prove --subject $T/entities/you.ent --out $T/you.proof \"device:actuate@$NS/building1/floor1/*\"");
            out.println("  ./wave send --as $T/entities/you.ent --proof $T/you.proof $NS/building1/floor1/hvac/setpoint set '{\"setpoint\": 21.5}'");
            out.println("  ./wave send --as $T/entities/you.ent --proof $T/you.proof $NS/building1/floor2/hvac/setpoint set '{\"setpoint\": 21.5}'");
            out.println("      # refused by the device: RESOURCE_NOT_COVERED");
            out.println("  ./wave send --as $T/entities/you.ent --permission device:read $NS/building1/floor1/motion/hall read");
            out.println("  ./wave revoke --as $T/entities/owner.ent --attestation \"$(sed -n 's/^# WAVE attestation \\([^ ]*\\).*/\\1/p' $T/you.grant)\"");
            out.println("  ./wave send --as $T/entities/you.ent --proof $T/you.proof $NS/building1/floor1/hvac/setpoint set '{\"setpoint\": 22}'");
            out.println("      # refused by the running device, without reconnecting: REVOKED");
            net.agent().ifPresent(a -> out.println("  curl -s " + a.uri() + "/v1/graph      # the grant graph, as the agent sees it"));
            out.println();
            out.println("Devices:");
            for (Testnet.Device d : net.devices()) {
                out.printf("  %-13s %-14s %s/%s  (%s)%n", d.name(), d.kind(), ns, d.resource(), String.join(", ", d.commands()));
            }
            out.println();
            out.println("ready; Ctrl-C stops every part and frees its ports");
        }

        /** wave-ledger/eth of this checkout: ./wave exports WAVE_REPO; else relative to the working directory. */
        private static Path ethDirectory(CliContext context) {
            String repo = context.env().apply("WAVE_REPO");
            Path base = repo == null || repo.isBlank() ? Path.of("") : Path.of(repo);
            return base.resolve("wave-ledger").resolve("eth").toAbsolutePath();
        }
    }
}
