package io.wave.agent.cli;

import io.wave.agent.client.AgentClient;
import io.wave.ledger.Ledger;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resolve", mixinStandardHelpOptions = true, description = {
        "Resolve a NAME to the entities declared under it on the ledger, newest first.",
        "Only declarations valid now and not revoked count. Exit 1 when there is none."})
final class ResolveCommand extends WaveCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--json", description = "Print one JSON object: {name, declarations: [{subject, attester, id, notAfter}]}.")
    boolean json;

    @Mixin
    LedgerOptions ledger;

    @Mixin
    AgentOptions agent;

    @Override
    public Integer call() {
        AgentClient client = agent.client(context);
        Map<String, Object> m;
        if (client != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = JSON.convertValue(client.resolve(name), Map.class);
            m = answer;
        } else {
            try (Ledger l = ledger.open(context)) {
                m = Describe.declarations(name, l.resolve(name).stream()
                        .filter(d -> d.body().validity().contains(context.clock().instant())).toList());
            }
        }
        List<?> found = (List<?>) m.get("declarations");
        if (json) {
            printJson(m);
        } else {
            for (Object o : found) {
                Map<?, ?> d = (Map<?, ?>) o;
                out().println(d.get("subject") + "  (declared by " + d.get("attester") + ", until " + d.get("notAfter") + ")");
            }
        }
        if (found.isEmpty()) {
            err().println("NOT_FOUND: no valid declaration of " + name);
            return 1;
        }
        return 0;
    }
}
