package io.wave.agent.cli;

import io.wave.crypto.objects.NameDeclaration;
import io.wave.ledger.Ledger;
import java.util.LinkedHashMap;
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

    @Override
    public Integer call() {
        List<NameDeclaration> found;
        try (Ledger l = ledger.open(context)) {
            found = l.resolve(name).stream().filter(d -> d.body().validity().contains(context.clock().instant())).toList();
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("declarations", found.stream().map(d -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("subject", d.body().subject().toString());
                o.put("attester", d.attester().toString());
                o.put("id", d.id().toString());
                o.put("notAfter", d.body().validity().notAfter().toString());
                return o;
            }).toList());
            printJson(m);
        } else {
            for (NameDeclaration d : found) {
                out().println(d.body().subject() + "  (declared by " + d.attester() + ", until "
                        + d.body().validity().notAfter() + ")");
            }
        }
        if (found.isEmpty()) {
            err().println("NOT_FOUND: no valid declaration of " + name);
            return 1;
        }
        return 0;
    }
}
