package io.wave.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wave.agent.client.AgentApi;
import io.wave.agent.client.AgentClient;
import io.wave.agent.files.EntityFiles;
import io.wave.agent.files.WaveFiles;
import io.wave.agent.issue.Issuing;
import io.wave.crypto.AttestationId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Revocation;
import io.wave.crypto.objects.UnverifiedAttestation;
import io.wave.ledger.Ledger;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.ObjectKind;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "revoke", mixinStandardHelpOptions = true, description = {
        "Revoke an attestation you made, an entity you hold, or a name you declared.",
        "With --agent, the agent revokes with the key it holds (--as and --entity then name it by id or file).",
        "Publishes the secret behind the object's revocation commitment: every verifier that watches the",
        "ledger refuses proofs through it from then on. Prints the revoked commitment.",
        "  wave revoke --attestation ID|FILE --as FILE",
        "  wave revoke --entity FILE",
        "  wave revoke --name NAME --subject ID|FILE --as FILE"})
final class RevokeCommand extends WaveCommand {
    @Option(names = "--attestation", paramLabel = "ID|FILE", description = "An attestation id (on the ledger) or grant file.")
    String attestation;

    @Option(names = "--entity", paramLabel = "FILE", description = "Revoke this entity (its secret file).")
    Path entity;

    @Option(names = "--name", paramLabel = "NAME", description = "Revoke your declaration of NAME for --subject.")
    String name;

    @Option(names = "--subject", paramLabel = "ID|FILE", description = "With --name: the entity the name was declared for.")
    String subject;

    @Option(names = "--as", paramLabel = "FILE", description = "Your secret file (the attester's).")
    Path as;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the revocation to FILE.")
    Path out;

    @Option(names = "--no-publish", description = "Only write --out; do not publish.")
    boolean noPublish;

    @Mixin
    PassphraseOptions passphrase;

    @Mixin
    LedgerOptions ledger;

    @Mixin
    AgentOptions agent;

    @Override
    public Integer call() {
        int modes = (attestation != null ? 1 : 0) + (entity != null ? 1 : 0) + (name != null ? 1 : 0);
        if (modes != 1) {
            throw WaveException.badArgument("give exactly one of --attestation, --entity, --name");
        }
        AgentClient client = agent.client(context);
        if (client != null) {
            return throughAgent(client);
        }
        if (noPublish && out == null) {
            throw WaveException.badArgument("--no-publish needs --out, or the revocation goes nowhere");
        }
        if ((attestation != null || name != null) && as == null) {
            throw WaveException.badArgument("--as FILE (the attester's secret file) is needed");
        }
        Revocation revocation;
        String what;
        if (entity != null) {
            EntitySecret s = EntityFiles.readSecret(entity, () -> passphrase.get(context, false));
            revocation = Issuing.revokeEntity(s);
            what = "entity " + s.id();
        } else if (name != null) {
            if (subject == null) {
                throw WaveException.badArgument("--name needs --subject");
            }
            EntitySecret s = EntityFiles.readSecret(as, () -> passphrase.get(context, false));
            revocation = Issuing.revokeName(s, name, EntityFiles.resolve(subject).id());
            what = "name " + name;
        } else {
            EntitySecret s = EntityFiles.readSecret(as, () -> passphrase.get(context, false));
            Attestation a = findAttestation(s);
            revocation = Issuing.revokeAttestation(s, a);
            what = "attestation " + a.id();
        }
        if (out != null) {
            WaveFiles.write(out, "# WAVE revocation of " + what + "\n" + Pem.encode(Pem.REVOCATION, revocation.encode()),
                    false, false);
        }
        if (!noPublish) {
            try (Ledger l = ledger.open(context)) {
                l.publish(ObjectKind.REVOCATION, revocation.encode());
            }
        }
        out().println(revocation.commitment());
        err().println("revoked " + what);
        return 0;
    }

    /** The agent revokes with the key it holds: the attestation's attester, the entity, or the name's declarer. */
    private int throughAgent(AgentClient client) {
        AgentOptions.notWithAgent(out != null, "--out");
        AgentOptions.notWithAgent(noPublish, "--no-publish");
        AgentApi.RevokeRequest req;
        if (attestation != null) {
            req = new AgentApi.RevokeRequest(attestationId(), null, null, null, null);
        } else if (entity != null) {
            req = new AgentApi.RevokeRequest(null, EntityFiles.resolve(entity.toString()).id().toString(), null, null, null);
        } else {
            if (subject == null || as == null) {
                throw WaveException.badArgument("--name needs --subject and --as (the declarer)");
            }
            req = new AgentApi.RevokeRequest(null, null, name, EntityFiles.resolve(subject).id().toString(),
                    EntityFiles.resolve(as.toString()).id().toString());
        }
        JsonNode done = client.revoke(req);
        out().println(done.path("commitment").asText());
        err().println("revoked " + done.path("revoked").asText());
        return 0;
    }

    /** The id of --attestation: given as such, or read from the first attestation in a grant file. */
    private String attestationId() {
        Path p = Path.of(attestation);
        if (Files.isRegularFile(p)) {
            for (Pem.Block b : WaveFiles.readBlocks(p, Pem.ATTESTATION)) {
                if (b.type().equals(Pem.ATTESTATION)) {
                    return UnverifiedAttestation.decode(b.der()).id().toString();
                }
            }
            throw WaveException.malformed(p + " holds no WAVE ATTESTATION block");
        }
        return attestation;
    }

    private Attestation findAttestation(EntitySecret attester) {
        Path p = Path.of(attestation);
        if (Files.isRegularFile(p)) {
            for (Pem.Block b : WaveFiles.readBlocks(p, Pem.ATTESTATION)) {
                if (b.type().equals(Pem.ATTESTATION)) {
                    return verifyAs(UnverifiedAttestation.decode(b.der()), attester);
                }
            }
            throw WaveException.malformed(p + " holds no WAVE ATTESTATION block");
        }
        AttestationId id;
        try {
            id = AttestationId.parse(attestation);
        } catch (WaveException e) {
            throw WaveException.badArgument("--attestation '" + attestation + "' is neither a file nor an attestation id");
        }
        try (Ledger l = ledger.open(context)) {
            LedgerEntry e = l.find(id.hash()).filter(x -> x.kind() == ObjectKind.ATTESTATION)
                    .orElseThrow(() -> new WaveException(ErrorCode.NOT_FOUND, "attestation " + id + " is not on the ledger"));
            return verifyAs(UnverifiedAttestation.decode(e.der()), attester);
        }
    }

    private static Attestation verifyAs(UnverifiedAttestation ua, EntitySecret attester) {
        if (!ua.attester().equals(attester.id())) {
            throw WaveException.badArgument("attestation " + ua.id() + " was made by " + ua.attester()
                    + ", not by " + attester.id() + ": only its attester can revoke it");
        }
        return ua.verify(attester.entity());
    }
}
