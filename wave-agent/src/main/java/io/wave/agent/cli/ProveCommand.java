package io.wave.agent.cli;

import io.wave.agent.client.AgentClient;
import io.wave.agent.files.EntityFiles;
import io.wave.agent.files.GrantDirectory;
import io.wave.agent.files.WaveFiles;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import io.wave.ledger.Ledger;
import io.wave.policy.AttestationSource;
import io.wave.policy.GrantCache;
import io.wave.policy.GrantGraph;
import io.wave.policy.Policy;
import io.wave.policy.ProofBuilder;
import io.wave.policy.ProofVerifier;
import io.wave.policy.Request;
import io.wave.policy.RevocationView;
import io.wave.policy.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "prove", mixinStandardHelpOptions = true, description = {
        "Build a proof that SUBJECT holds every POLICY, from the ledger or a directory of grants.",
        "The proof file carries every attestation and entity a verifier needs. Prints the proof id.",
        "Exit codes: 0 written, 1 no proof exists in these grants, 2 bad input."})
final class ProveCommand extends WaveCommand {
    @Option(names = "--subject", required = true, paramLabel = "ID|FILE", description = "Who the proof is for.")
    String subject;

    @Option(names = "--attestations", paramLabel = "DIR",
            description = "Search this directory of grant and entity files instead of the ledger.")
    Path dir;

    @picocli.CommandLine.Mixin
    LedgerOptions ledger;

    @picocli.CommandLine.Mixin
    AgentOptions agent;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Proof file to write.")
    Path out;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    @Option(names = "--json", description = "Print one JSON object describing the proof.")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "POLICY", description = "What the proof must grant.")
    List<String> policies;

    @Override
    public Integer call() {
        List<Policy> required = new ArrayList<>();
        for (String p : policies) {
            required.add(Policy.parse(p));
        }
        EntityFiles.Named who = EntityFiles.resolve(subject);
        AgentClient client = agent.client(context);
        if (client != null) {
            AgentOptions.notWithAgent(dir != null, "--attestations");
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.convertValue(client.prove(who.id().toString(), policies), Map.class);
            byte[] der = Base64.getDecoder().decode((String) m.remove("der"));
            if (!io.wave.crypto.objects.UnverifiedProof.decode(der).id().toString().equals(m.get("proof"))) {
                throw new WaveException(ErrorCode.TAMPERED, "the agent's proof is not the proof it names");
            }
            return written(String.valueOf(m.get("proof")), who, der, m);
        }
        if (dir != null) {
            GrantGraph graph = GrantDirectory.load(dir, err());
            if (who.entity() != null) {
                graph.add(who.entity());
            }
            return prove(who, required, graph, RevocationView.NONE);
        }
        try (Ledger l = ledger.open(context)) {
            AttestationSource source = l.attestationSource();
            if (who.entity() != null && l.entity(who.id()).isEmpty()) {
                // The subject, named by its file, need not be on the ledger for the proof to carry it.
                source = new AttestationSource() {
                    @Override
                    public java.util.Collection<io.wave.policy.Grant> grantsTo(io.wave.crypto.EntityId s) {
                        return l.grantsTo(s);
                    }

                    @Override
                    public java.util.Optional<io.wave.crypto.objects.Entity> entity(io.wave.crypto.EntityId id) {
                        return id.equals(who.id()) ? java.util.Optional.of(who.entity()) : l.entity(id);
                    }
                };
            }
            return prove(who, required, source, l.revocationView());
        }
    }

    private int prove(EntityFiles.Named who, List<Policy> required, AttestationSource source, RevocationView revocations) {
        ProofBuilder.Result result = ProofBuilder.create(source, context.clock(), revocations).build(who.id(), required);
        if (result instanceof ProofBuilder.NotFound nf) {
            throw new WaveException(ErrorCode.NO_PROOF, nf.detail());
        }
        ProofBuilder.Found found = (ProofBuilder.Found) result;
        // Check what we are about to hand out with the same verifier every consumer uses. A proof is for uses
        // to come: its parameter caveats are conditions a device checks on each command.
        Verdict v = ProofVerifier.create(context.clock(), revocations).withCache(new GrantCache(1024))
                .verify(found.proof(), new Request(required, who.id(), null, true));
        if (!v.valid()) {
            throw new IllegalStateException("built proof does not verify: " + v.reason() + " " + v.detail());
        }
        return written(found.proof().id().toString(), who, found.proof().encoded(), Describe.proof(found, who.id(), v));
    }

    /** Writes the proof file and reports it: the same whether the proof was built here or by an agent. */
    private int written(String id, EntityFiles.Named who, byte[] der, Map<String, Object> described) {
        String text = "# WAVE proof " + id + "\n# for " + who.id() + ": " + String.join(" ", policies)
                + "\n" + Pem.encode(Pem.PROOF, der);
        WaveFiles.write(out, text, false, force);
        if (json) {
            printJson(described);
        } else {
            out().println(id);
        }
        return 0;
    }
}
