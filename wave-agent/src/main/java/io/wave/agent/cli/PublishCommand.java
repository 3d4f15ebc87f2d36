package io.wave.agent.cli;

import io.wave.agent.client.AgentApi;
import io.wave.agent.client.AgentClient;
import io.wave.agent.files.WaveFiles;
import io.wave.crypto.Pem;
import io.wave.crypto.objects.UnverifiedAttestation;
import io.wave.crypto.objects.UnverifiedEntity;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.ledger.Ledger;
import io.wave.ledger.ObjectKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "publish", mixinStandardHelpOptions = true, description = {
        "Publish the WAVE objects in FILEs on the ledger, in one durable write.",
        "Entities go first, then attestations (also those carried in proofs), name declarations and",
        "revocations. Secret blocks are never published. The ledger verifies every object and refuses",
        "the whole write if one fails. Prints one line per object: KIND ID POSITION.",
        "Through an agent (--agent URL or $WAVE_AGENT, with its API token): on the",
        "agent's ledger."})
final class PublishCommand extends WaveCommand {
    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Option(names = "--json", description = "Print one JSON object: {head, objects: [{kind, id, index}]}.")
    boolean json;

    @Mixin
    LedgerOptions ledger;

    @Mixin
    AgentOptions agent;

    @Override
    public Integer call() {
        List<Ledger.Publication> entities = new ArrayList<>();
        List<Ledger.Publication> rest = new ArrayList<>();
        for (Path f : files) {
            for (Pem.Block b : WaveFiles.readBlocks(f, Pem.ATTESTATION)) {
                switch (b.type()) {
                    case Pem.ENTITY -> entities.add(new Ledger.Publication(ObjectKind.ENTITY, b.der()));
                    case Pem.ATTESTATION -> rest.add(new Ledger.Publication(ObjectKind.ATTESTATION, b.der()));
                    case Pem.NAME_DECLARATION -> rest.add(new Ledger.Publication(ObjectKind.NAME, b.der()));
                    case Pem.REVOCATION -> rest.add(new Ledger.Publication(ObjectKind.REVOCATION, b.der()));
                    case Pem.PROOF -> {
                        UnverifiedProof p = UnverifiedProof.decode(b.der());
                        for (UnverifiedEntity e : p.entities()) {
                            entities.add(new Ledger.Publication(ObjectKind.ENTITY, e.encoded()));
                        }
                        for (UnverifiedAttestation a : p.attestations()) {
                            rest.add(new Ledger.Publication(ObjectKind.ATTESTATION, a.encoded()));
                        }
                    }
                    default -> { }
                }
            }
        }
        entities.addAll(rest);
        if (entities.isEmpty()) {
            throw io.wave.crypto.WaveException.badArgument("no publishable WAVE objects in the given files");
        }
        Map<String, Object> m;
        AgentClient client = agent.client(context);
        if (client != null) {
            List<AgentApi.PublishedObject> objects = new ArrayList<>(entities.size());
            for (Ledger.Publication p : entities) {
                objects.add(new AgentApi.PublishedObject(p.kind().name().toLowerCase(Locale.ROOT),
                        Base64.getEncoder().encodeToString(p.der())));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = JSON.convertValue(client.publish(new AgentApi.PublishRequest(objects)), Map.class);
            m = answer;
        } else {
            try (Ledger l = ledger.open(context)) {
                m = Describe.receipts(l.publishAll(entities));
            }
        }
        if (json) {
            printJson(m);
        } else {
            for (Object o : (List<?>) m.get("objects")) {
                Map<?, ?> r = (Map<?, ?>) o;
                out().println(r.get("kind") + " " + r.get("id") + " " + r.get("index"));
            }
        }
        return 0;
    }
}
