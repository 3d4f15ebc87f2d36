package io.wave.agent.cli;

import io.wave.agent.files.EntityFiles;
import io.wave.agent.files.WaveFiles;
import io.wave.crypto.Pem;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.ledger.Ledger;
import io.wave.ledger.ObjectKind;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "name", mixinStandardHelpOptions = true, description = {
        "Declare a human-readable NAME for an entity, signed by you, and publish it.",
        "NAME is dot-separated lowercase labels (alice.acme). Prints the declaration's id."})
final class NameCommand extends WaveCommand {
    @Option(names = "--attester", required = true, paramLabel = "FILE", description = "Your secret file.")
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

    @Override
    public Integer call() {
        if (noPublish && out == null) {
            throw WaveException.badArgument("--no-publish needs --out, or the declaration goes nowhere");
        }
        EntityFiles.Named who = EntityFiles.resolve(subject);
        EntitySecret s = EntityFiles.readSecret(attester, () -> passphrase.get(context, false));
        NameDeclaration.Body body;
        try {
            body = new NameDeclaration.Body(s.id(), who.id(), name,
                    Validity.startingAt(context.clock().instant(), Durations.parse(expiry).getSeconds()),
                    s.nameRevocationSecret(name, who.id()).commitment());
        } catch (WaveException e) {
            throw WaveException.badArgument(e.getMessage());
        }
        NameDeclaration d = NameDeclaration.sign(body, s);
        if (out != null) {
            WaveFiles.write(out, "# WAVE name " + name + " -> " + who.id() + "\n" + Pem.encode(Pem.NAME_DECLARATION,
                    d.encoded()) + Pem.encode(Pem.ENTITY, s.entity().encoded()), false, false);
        }
        if (!noPublish) {
            try (Ledger l = ledger.open(context)) {
                l.publishAll(List.of(Publishing.entity(s.entity()), new Ledger.Publication(ObjectKind.NAME, d.encoded())));
            }
        }
        out().println(d.id());
        return 0;
    }
}
