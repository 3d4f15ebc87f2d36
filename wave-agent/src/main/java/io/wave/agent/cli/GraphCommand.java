package io.wave.agent.cli;

import io.wave.agent.client.AgentClient;
import io.wave.agent.daemon.GraphIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "graph", mixinStandardHelpOptions = true, description = {
        "Print the grant graph: entities, and grants as edges from attester to subject (revoked ones marked).",
        "Through an agent (--agent URL or $WAVE_AGENT), the graph its index holds; else read from the ledger.",
        "As JSON {entities: [{id, notAfter, revoked}], grants: [{id, attester, subject, policy, ...}]}, or with",
        "--dot as Graphviz DOT (wave graph --dot | dot -Tsvg > graph.svg)."})
final class GraphCommand extends WaveCommand {
    @Option(names = "--dot", description = "Print Graphviz DOT instead of JSON.")
    boolean dot;

    @Mixin
    AgentOptions agent;

    @Mixin
    LedgerOptions ledger;

    @Override
    public Integer call() {
        AgentClient client = agent.client(context);
        if (client != null) {
            if (dot) {
                out().print(client.graphDot());
                out().flush();
            } else {
                printJson(client.graph());
            }
            return 0;
        }
        try (io.wave.ledger.Ledger l = ledger.open(context)) {
            try (GraphIndex g = GraphIndex.inMemory()) {
                g.follow(l);
                if (dot) {
                    out().print(Describe.dot(g.graph(), g::isRevoked));
                    out().flush();
                } else {
                    printJson(Describe.graph(g.graph(), g::isRevoked));
                }
            }
        }
        return 0;
    }
}
