package io.wave.agent.cli;

import io.wave.agent.files.EntityFiles;
import io.wave.agent.files.WaveFiles;
import io.wave.crypto.Pem;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.Caveat;
import io.wave.crypto.objects.EntitySecret;
import io.wave.policy.Caveats;
import io.wave.policy.Policy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "grant", mixinStandardHelpOptions = true, description = {
        "Grant SUBJECT the POLICYs: sign attestations and write them to a grant file.",
        "The file also carries the entities needed to check them. Prints each attestation's id.",
        "",
        "POLICY := PSET:PERM[,PERM...]@NAMESPACE/RESOURCE   (PSET: wave, mqtt, device, ml, or an entity id;",
        "          RESOURCE: cells separated by '/', '+' matches one cell, a final '*' matches the rest)"})
final class GrantCommand extends WaveCommand {
    @Option(names = "--attester", required = true, paramLabel = "FILE", description = "The granting entity's secret file.")
    Path attester;

    @Option(names = "--subject", required = true, paramLabel = "ID|FILE", description = "Who receives the grant: an entity id or entity file.")
    String subject;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Grant file to write.")
    Path out;

    @Option(names = "--indirections", defaultValue = "0", paramLabel = "N",
            description = "How many more hops the subject may re-delegate (default: ${DEFAULT-VALUE}).")
    int indirections;

    @Option(names = "--expiry", defaultValue = "30d", paramLabel = "DURATION",
            description = "How long the grant is valid: 30s, 15m, 12h, 30d (default: ${DEFAULT-VALUE}).")
    String expiry;

    @Option(names = "--caveat", paramLabel = "EXPR", description = {
            "A condition on use, repeatable: 'NAME in [LO,HI]', 'NAME >= X', 'NAME <= X',",
            "'time in HH:MM-HH:MM' (UTC), 'confidence >= X'."})
    List<String> caveats = new ArrayList<>();

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    @Mixin
    PassphraseOptions passphrase;

    @Option(names = "--no-publish", description = "Do not publish the grant on the ledger (offline use).")
    boolean noPublish;

    @Mixin
    LedgerOptions ledger;

    @Parameters(arity = "1..*", paramLabel = "POLICY", description = "What to grant.")
    List<String> policies;

    @Override
    public Integer call() {
        if (indirections < 0 || indirections > io.wave.crypto.objects.Limits.MAX_INDIRECTIONS) {
            throw WaveException.badArgument("--indirections must lie in [0, " + io.wave.crypto.objects.Limits.MAX_INDIRECTIONS + "]");
        }
        List<Policy> parsed = new ArrayList<>();
        for (String p : policies) {
            parsed.add(Policy.parse(p));
        }
        List<Caveat> cav = new ArrayList<>();
        for (String c : caveats) {
            cav.add(Caveats.parse(c));
        }
        EntityFiles.Named who = EntityFiles.resolve(subject);
        EntitySecret secret = EntityFiles.readSecret(attester, () -> passphrase.get(context, false));
        Validity validity = Validity.startingAt(context.clock().instant(), Durations.parse(expiry).getSeconds());
        StringBuilder file = new StringBuilder();
        List<String> ids = new ArrayList<>();
        List<io.wave.ledger.Ledger.Publication> publications = new ArrayList<>();
        publications.add(Publishing.entity(secret.entity()));
        if (who.entity() != null && !who.id().equals(secret.id())) {
            publications.add(Publishing.entity(who.entity()));
        }
        for (Policy p : parsed) {
            byte[] nonce = Attestation.newNonce(context.random());
            AttestationBody body = new AttestationBody(secret.id(), who.id(), p.namespace(), p.permissionSet(),
                    p.permissionList(), p.resource().toString(), indirections, validity, cav,
                    secret.attestationRevocationSecret(nonce).commitment(), nonce, List.of());
            Attestation a = Attestation.sign(body, secret);
            ids.add(a.id().toString());
            publications.add(new io.wave.ledger.Ledger.Publication(io.wave.ledger.ObjectKind.ATTESTATION, a.encoded()));
            file.append("# WAVE attestation ").append(a.id()).append('\n');
            file.append("# ").append(p).append(" -> ").append(who.id()).append('\n');
            file.append(Pem.encode(Pem.ATTESTATION, a.encoded()));
        }
        file.append(Pem.encode(Pem.ENTITY, secret.entity().encoded()));
        if (who.entity() != null && !who.id().equals(secret.id())) {
            file.append(Pem.encode(Pem.ENTITY, who.entity().encoded()));
        }
        WaveFiles.write(out, file.toString(), false, force);
        if (!noPublish) {
            Publishing.publish(ledger, context, out, publications);
        }
        ids.forEach(out()::println);
        return 0;
    }
}
