package io.wave.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wave.agent.client.AgentApi;
import io.wave.agent.client.AgentClient;
import io.wave.agent.files.EntityFiles;
import io.wave.agent.files.WaveFiles;
import io.wave.agent.issue.Issuing;
import io.wave.crypto.Pem;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.ledger.Ledger;
import io.wave.ledger.ObjectKind;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "name", mixinStandardHelpOptions = true, description = {
        "Declare a human-readable NAME for an entity, signed by you, and publish it.",
        "NAME is dot-separated lowercase labels (alice.acme). Prints the declaration's id."})
final class NameCommand extends WaveCommand {
    @Option(names = "--attester", required = true, paramLabel = "FILE", description = "Your secret file (with --agent: an entity the agent holds, by id or file).")
    Path attester;

    @Option(names = "--subject", required = true, paramLabel = "ID|FILE", description = "The entity to name.")
    String subject;

    @Option(names = "--expiry", defaultValue = "365d", paramLabel = "DURATION", description = "Default: ${DEFAULT-VALUE}.")
    String expiry;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the declaration to FILE.")
    Path out;

    @Option(names = "--no-publish", description = "Only write --out; do not publish.")
    boolean noPublish;

    @Parameters(paramLabel = "NAME")
    String name;

    @Mixin
    PassphraseOptions passphrase;

    @Mixin
    LedgerOptions ledger;

    @Mixin
    AgentOptions agent;

    @Override
    public Integer call() {
        if (noPublish && out == null) {
            throw WaveException.badArgument("--no-publish needs --out, or the declaration goes nowhere");
        }
        EntityFiles.Named who = EntityFiles.resolve(subject);
        AgentClient client = agent.client(context);
        if (client != null) {
            AgentOptions.notWithAgent(noPublish, "--no-publish");
            JsonNode d = client.name(new AgentApi.NameRequest(EntityFiles.resolve(attester.toString()).id().toString(),
                    who.id().toString(), name, expiry));
            if (out != null) {
                writeFile(who, Base64.getDecoder().decode(d.path("der").asText()),
                        Base64.getDecoder().decode(d.path("attester").asText()));
            }
            out().println(d.path("id").asText());
            return 0;
        }
        EntitySecret s = EntityFiles.readSecret(attester, () -> passphrase.get(context, false));
        NameDeclaration d = Issuing.name(s, who.id(), name,
                Validity.startingAt(context.clock().instant(), Durations.parse(expiry).getSeconds()));
        if (out != null) {
            writeFile(who, d.encoded(), s.entity().encoded());
        }
        if (!noPublish) {
            try (Ledger l = ledger.open(context)) {
                l.publishAll(List.of(Publishing.entity(s.entity()), new Ledger.Publication(ObjectKind.NAME, d.encoded())));
            }
        }
        out().println(d.id());
        return 0;
    }

    private void writeFile(EntityFiles.Named who, byte[] declaration, byte[] attesterEntity) {
        WaveFiles.write(out, "# WAVE name " + name + " -> " + who.id() + "\n" + Pem.encode(Pem.NAME_DECLARATION,
                declaration) + Pem.encode(Pem.ENTITY, attesterEntity), false, false);
    }
}
