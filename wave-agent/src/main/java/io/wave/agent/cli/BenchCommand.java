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
        "Measure verification and proof building, side by side in one run.",
        "  verify  proof verification on 1, 2, 4 and 8 hops: cold_us, warm_us, warm_decode_us, next to",
        "          limit_us (that many raw Ed25519 verifications, timed interleaved in the same rounds);",
        "  build   median proof-building time on grant graphs of 1k, 10k and 100k attestations."})
final class BenchCommand extends WaveCommand {
    @Parameters(paramLabel = "WHAT", description = "verify | build")
    String what;

    @Option(names = "--quick", description = "Fewer rounds and smaller graphs (a smoke run, not figures to quote).")
    boolean quick;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows;
        switch (what) {
            case "verify" -> rows = VerifyBench.run(quick);
            case "build" -> rows = BuildBench.run(quick);
            default -> throw io.wave.crypto.WaveException.badArgument("bench what? 'verify' or 'build', not '" + what + "'");
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bench", what);
            m.put("quick", quick);
            m.put("java", System.getProperty("java.version"));
            m.put("cores", Runtime.getRuntime().availableProcessors());
            m.put("results", rows);
            printJson(m);
        } else {
            for (Map<String, Object> r : rows) {
                StringBuilder sb = new StringBuilder();
                r.forEach((k, v) -> sb.append(k).append('=').append(v).append("  "));
                out().println(sb.toString().strip());
            }
        }
        return 0;
    }
}
