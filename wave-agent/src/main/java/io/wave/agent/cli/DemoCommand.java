package io.wave.agent.cli;

import io.wave.agent.demo.Demo;
import io.wave.device.BrokerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, description = {
        "The whole story in under a minute, on the embedded defaults.",
        "Real keys, grants, proofs, MQTT messages and a ledger (an embedded ledger and",
        "MQTT broker in a scratch directory, removed afterwards): delegation, commands",
        "inside and outside a slice, a model acting within its grant, and a live",
        "revocation. One line per step; exit 0 only when every expectation held."})
final class DemoCommand extends WaveCommand {
    @Option(names = "--broker", paramLabel = "URI", description = "Use this MQTT broker instead of starting the embedded one.")
    String broker;

    @Option(names = "--json", description = "Print one JSON object per step.")
    boolean json;

    @Override
    public Integer call() throws java.io.IOException {
        Path work = Files.createTempDirectory("wave-demo-");
        try {
            boolean ok = new Demo(work, context.clock(), context.random(), this::print)
                    .run(broker == null ? null : BrokerAddress.parse(broker));
            if (!json) {
                out().println(ok ? "demo: every expectation held" : "demo: an expectation failed");
            }
            return ok ? 0 : 1;
        } finally {
            try (java.util.stream.Stream<Path> s = Files.walk(work)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private synchronized void print(Demo.Step s) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", s.number());
            m.put("ok", s.ok());
            m.put("what", s.what());
            m.put("detail", s.detail());
            m.put("ms", s.millis());
            printJson(m);
        } else {
            out().printf("%2d %s %s%n     %s%n", s.number(), s.ok() ? "ok  " : "FAIL", s.what(), s.detail());
            out().flush();
        }
    }
}
