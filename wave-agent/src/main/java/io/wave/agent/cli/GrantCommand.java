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
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.Caveat;
import io.wave.crypto.objects.EntitySecret;
import io.wave.policy.Caveats;
import io.wave.policy.Policy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
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
    @Option(names = "--attester", required = true, paramLabel = "FILE", description = "The granting entity's secret file (with --agent: an entity the agent holds, by id or file).")
    Path attester;

    @Option(names = "--subject", required = true, paramLabel = "ID|FILE", description = "Who receives the grant: an entity id or entity file.")
    String subject;

    @Option(names = "--out", paramLabel = "FILE", description = "Grant file to write (required unless --agent).")
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

    @Mixin
    AgentOptions agent;

    @Parameters(arity = "1..*", paramLabel = "POLICY", description = "What to grant.")
    List<String> policies;

    @Override
    public Integer call() {
        if (indirections < 0 || indirections > io.wave.crypto.objects.Limits.MAX_INDIRECTIONS) {
            // Checked before any passphrase is asked for.
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
        AgentClient client = agent.client(context);
        if (client != null) {
            return throughAgent(client, who);
        }
        if (out == null) {
            throw WaveException.badArgument("--out FILE is needed (the grant file to write)");
        }
        EntitySecret secret = EntityFiles.readSecret(attester, () -> passphrase.get(context, false));
        Validity validity = Validity.startingAt(context.clock().instant(), Durations.parse(expiry).getSeconds());
        List<String> ids = new ArrayList<>();
        List<byte[]> ders = new ArrayList<>();
        List<io.wave.ledger.Ledger.Publication> publications = new ArrayList<>();
        publications.add(Publishing.entity(secret.entity()));
        if (who.entity() != null && !who.id().equals(secret.id())) {
            publications.add(Publishing.entity(who.entity()));
        }
        for (Policy p : parsed) {
            Attestation a = Issuing.grant(secret, who.id(), p, indirections, validity, cav, context.random());
            ids.add(a.id().toString());
            ders.add(a.encoded());
            publications.add(new io.wave.ledger.Ledger.Publication(io.wave.ledger.ObjectKind.ATTESTATION, a.encoded()));
        }
        writeFile(ids, ders, who, secret.entity().encoded());
        if (!noPublish) {
            Publishing.publish(ledger, context, out, publications);
        }
        ids.forEach(out()::println);
        return 0;
    }

    /**
     * The agent signs with the attester's key from its keystore and publishes what a local grant does: the
     * attester's entity, the subject's (given as a file here, or held by the agent), the attestations.
     * --out, if given, gets the same file.
     */
    private int throughAgent(AgentClient client, EntityFiles.Named who) {
        AgentOptions.notWithAgent(noPublish, "--no-publish");
        AgentOptions.notWithAgent(passphrase.passphraseFile != null, "--passphrase-file (the agent holds the key)");
        String attesterId = EntityFiles.resolve(attester.toString()).id().toString();
        // A subject given as a file is published with the grant, as locally.
        String subjectEntity = who.entity() == null ? null : Base64.getEncoder().encodeToString(who.entity().encoded());
        JsonNode made = client.grant(new AgentApi.GrantRequest(attesterId, who.id().toString(), policies, indirections,
                expiry, caveats, subjectEntity));
        List<String> ids = new ArrayList<>();
        List<byte[]> ders = new ArrayList<>();
        for (JsonNode a : made.path("attestations")) {
            ids.add(a.path("id").asText());
            ders.add(Base64.getDecoder().decode(a.path("der").asText()));
        }
        if (out != null) {
            writeFile(ids, ders, who, Base64.getDecoder().decode(made.path("attester").asText()));
        }
        ids.forEach(out()::println);
        return 0;
    }

    /** The grant file: each attestation with a comment saying what it grants to whom, then the entities to check them. */
    private void writeFile(List<String> ids, List<byte[]> ders, EntityFiles.Named who, byte[] attesterEntity) {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            file.append("# WAVE attestation ").append(ids.get(i)).append('\n');
            file.append("# ").append(Policy.parse(policies.get(i))).append(" -> ").append(who.id()).append('\n');
            file.append(Pem.encode(Pem.ATTESTATION, ders.get(i)));
        }
        file.append(Pem.encode(Pem.ENTITY, attesterEntity));
        if (who.entity() != null && !java.util.Arrays.equals(who.entity().encoded(), attesterEntity)) {
            file.append(Pem.encode(Pem.ENTITY, who.entity().encoded()));
        }
        WaveFiles.write(out, file.toString(), false, force);
    }
}
