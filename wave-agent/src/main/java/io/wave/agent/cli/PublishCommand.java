package io.wave.agent.cli;

import io.wave.agent.files.WaveFiles;
import io.wave.crypto.Pem;
import io.wave.crypto.objects.UnverifiedAttestation;
import io.wave.crypto.objects.UnverifiedEntity;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.ledger.Ledger;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Receipt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "publish", mixinStandardHelpOptions = true, description = {
        "Publish the WAVE objects in FILEs on the ledger, in one durable write.",
        "Entities go first, then attestations (also those carried in proofs), name declarations and",
        "revocations. Secret blocks are never published. The ledger verifies every object and refuses",
        "the whole write if one fails. Prints one line per object: KIND ID POSITION."})
final class PublishCommand extends WaveCommand {
    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Option(names = "--json", description = "Print one JSON object: {head, objects: [{kind, id, index}]}.")
    boolean json;

    @Mixin
    LedgerOptions ledger;

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
        List<Receipt> receipts;
        try (Ledger l = ledger.open(context)) {
            receipts = l.publishAll(entities);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            receipts.get(receipts.size() - 1).treeHead().ifPresent(h -> m.put("head", Describe.head(h)));
            m.put("objects", receipts.stream().map(r -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
                o.put("id", r.id().toString());
                o.put("index", r.index());
                return o;
            }).toList());
            printJson(m);
        } else {
            for (Receipt r : receipts) {
                out().println(r.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + r.id() + " " + r.index());
            }
        }
        return 0;
    }
}
