package io.wave.agent.cli;

import io.wave.agent.bench.BuildBench;
import io.wave.agent.bench.VerifyBench;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true, description = {
        "Measure verification, the ledger, devices, inference, the agent; compare.",
        "Each benchmark measures what it compares side by side in one run:",
        "  verify  proof verification on 1, 2, 4 and 8 hops: cold_us, warm_us, warm_decode_us, next to",
        "          limit_us (that many raw Ed25519 verifications, timed interleaved in the same rounds);",
        "  build   median proof-building time on grant graphs of 1k, 10k and 100k attestations;",
        "  ledger  durable appends per second on the embedded ledger, inclusion-proof verification time,",
        "          and gas per attestation on a ganache node (started from wave-ledger/eth, or --eth-rpc);",
        "  device  MQTT commands through a device agent (Mosquitto when installed, else the embedded broker):",
        "          gated against ungated round trips (p50, p99, ratio), gated commands per second, and",
        "          milliseconds from a revocation on the ledger to the first refusal;",
        "  infer   gated inference (proof check + ONNX model) next to the bare model, call by call:",
        "          p50 and p99 of each, and the share of time spent authorising;",
        "  agent   POST /v1/verify per second over HTTP to a real agent, and p50/p99 latency, from a load",
        "          generator in the same run: answered from the verdict cache (warm), and evaluated in full (miss);",
        "  compare WAVE proofs (cold, warm) beside Biscuit tokens and X.509 paths of 1 to 8 hops (with the",
        "          testnet module on the class path, as ./wave runs the CLI)."})
final class BenchCommand extends WaveCommand {
    @Parameters(paramLabel = "WHAT", description = "verify | build | ledger | device | infer | agent | compare")
    String what;

    @Option(names = "--eth-rpc", paramLabel = "URL",
            description = "ledger: measure gas on this node (account from --eth-key-file or $WAVE_ETH_KEY) instead of a ganache started here.")
    String ethRpc;

    @picocli.CommandLine.Mixin
    LedgerOptions ledgerOptions;

    @Option(names = "--quick", description = "Fewer rounds and smaller graphs (a smoke run, not figures to quote).")
    boolean quick;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        Object rows;
        switch (what) {
            case "verify" -> rows = VerifyBench.run(quick);
            case "build" -> rows = BuildBench.run(quick);
            case "ledger" -> rows = ledger();
            case "device" -> rows = device();
            case "infer" -> rows = io.wave.agent.bench.InferBench.run(quick);
            case "agent" -> rows = io.wave.agent.bench.AgentBench.run(quick);
            default -> rows = extension(what).run(context, quick);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bench", what);
            m.put("quick", quick);
            m.put("java", System.getProperty("java.version"));
            m.put("cores", Runtime.getRuntime().availableProcessors());
            m.put("results", rows);
            printJson(m);
        } else if (rows instanceof List<?> list) {
            for (Object r : list) {
                StringBuilder sb = new StringBuilder();
                ((Map<?, ?>) r).forEach((k, v) -> sb.append(k).append('=').append(v).append("  "));
                out().println(sb.toString().strip());
            }
        } else {
            ((Map<?, ?>) rows).forEach((k, v) -> out().println(k + ": " + v));
        }
        return 0;
    }

    private Map<String, Object> device() {
        java.nio.file.Path work = scratch("wave-bench-device");
        try {
            return io.wave.agent.bench.DeviceBench.run(work, quick);
        } finally {
            deleteTree(work);
        }
    }

    /** A benchmark another module adds (wave bench compare, from testnet); a clear error when none is named so. */
    private static CliExtension.Bench extension(String name) {
        java.util.List<String> known = new java.util.ArrayList<>(java.util.List.of("verify", "build", "ledger", "device",
                "infer", "agent"));
        for (CliExtension e : CliExtension.installed()) {
            CliExtension.Bench b = e.benches().get(name);
            if (b != null) {
                return b;
            }
            known.addAll(e.benches().keySet());
        }
        throw io.wave.crypto.WaveException.badArgument("bench what? one of " + String.join(", ", known) + "; not '"
                + name + "'");
    }

    /** The embedded ledger's figures, then gas on an Ethereum node, in one run. */
    private Map<String, Object> ledger() {
        java.nio.file.Path work = scratch("wave-bench-ledger");
        try {
            // The account key first: a missing one should not cost the whole embedded run.
            org.web3j.crypto.Credentials account = ethRpc == null ? null : ledgerOptions.ethKey(context).load();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("embedded", io.wave.ledger.embedded.LedgerBench.run(work, quick));
            if (ethRpc != null) {
                m.put("gas", io.wave.ledger.ethereum.GasBench.run(ethRpc, account, work));
            } else {
                java.nio.file.Path eth = ethDirectory();
                try (io.wave.ledger.ethereum.DevNode node = io.wave.ledger.ethereum.DevNode.start(eth, work)) {
                    Map<String, Object> gas = new LinkedHashMap<>();
                    gas.put("node", "ganache 7.9.2 (" + eth + ")");
                    gas.putAll(io.wave.ledger.ethereum.GasBench.run(node.url(), io.wave.ledger.ethereum.DevNode.account(0),
                            work));
                    m.put("gas", gas);
                } catch (IllegalStateException e) {
                    throw io.wave.crypto.WaveException.badArgument("cannot start ganache for the gas figures: "
                            + e.getMessage() + " (or give --eth-rpc URL)");
                }
            }
            return m;
        } finally {
            deleteTree(work);
        }
    }

    /** wave-ledger/eth of this checkout: ./wave exports WAVE_REPO; else relative to the working directory. */
    private java.nio.file.Path ethDirectory() {
        String repo = context.env().apply("WAVE_REPO");
        java.nio.file.Path base = repo == null || repo.isBlank() ? java.nio.file.Path.of("") : java.nio.file.Path.of(repo);
        return base.resolve("wave-ledger").resolve("eth").toAbsolutePath();
    }

    private static java.nio.file.Path scratch(String prefix) {
        try {
            return java.nio.file.Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new io.wave.crypto.WaveException(io.wave.crypto.ErrorCode.IO_ERROR, "no scratch directory: " + e.getMessage());
        }
    }

    private static void deleteTree(java.nio.file.Path dir) {
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // scratch space only; the OS cleans the temp directory
        }
    }
}
