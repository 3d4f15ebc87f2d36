package io.wave.agent.cli;

import io.wave.agent.files.WaveFiles;
import io.wave.crypto.EntityId;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.crypto.objects.Revocation;
import io.wave.crypto.objects.UnverifiedAttestation;
import io.wave.crypto.objects.UnverifiedEntity;
import io.wave.crypto.objects.UnverifiedProof;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true, description = {
        "Decode and show every WAVE object in a file.",
        "Signatures are checked where the signer's entity is in the same file (grant and proof files carry",
        "them); secrets are never decrypted or shown."})
final class InspectCommand extends WaveCommand {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(names = "--json", description = "Print one JSON object: {file, objects: [...]}.")
    boolean json;

    @Override
    public Integer call() {
        List<Pem.Block> blocks = WaveFiles.readBlocks(file, Pem.PROOF);
        Map<EntityId, Entity> entities = new HashMap<>();
        for (Pem.Block b : blocks) {
            if (b.type().equals(Pem.ENTITY)) {
                Entity e = decode(b, () -> UnverifiedEntity.decode(b.der()).verify());
                entities.put(e.id(), e);
            }
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Pem.Block b : blocks) {
            objects.add(describe(b, entities));
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file.toString());
            m.put("objects", objects);
            printJson(m);
        } else {
            boolean first = true;
            for (Map<String, Object> o : objects) {
                if (!first) {
                    out().println();
                }
                first = false;
                Describe.text(out(), o);
            }
        }
        return 0;
    }

    private Map<String, Object> describe(Pem.Block b, Map<EntityId, Entity> entities) {
        switch (b.type()) {
            case Pem.ENTITY:
                return Describe.entity(decode(b, () -> UnverifiedEntity.decode(b.der()).verify()));
            case Pem.ATTESTATION:
                return attestation(decode(b, () -> UnverifiedAttestation.decode(b.der())), entities);
            case Pem.PROOF:
                return proof(decode(b, () -> UnverifiedProof.decode(b.der())));
            case Pem.SEALED_ENTITY_SECRET: {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "entity secret (encrypted)");
                m.put("bytes", b.der().length);
                return m;
            }
            case Pem.ENTITY_SECRET: {
                EntitySecret s = decode(b, () -> EntitySecret.decodePlain(b.der()));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "entity secret (unencrypted)");
                m.put("entity", s.id().toString());
                return m;
            }
            case Pem.NAME_DECLARATION: {
                NameDeclaration n = decode(b, () -> NameDeclaration.decode(b.der()));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "name declaration");
                m.put("id", n.id().toString());
                m.put("attester", n.attester().toString());
                Entity a = entities.get(n.attester());
                if (a != null) {
                    NameDeclaration v = decode(b, () -> n.verify(a));
                    m.put("name", v.body().name());
                    m.put("subject", v.body().subject().toString());
                    m.put("signature", "valid");
                } else {
                    m.put("signature", "unchecked (attester entity not in this file)");
                }
                return m;
            }
            case Pem.REVOCATION: {
                Revocation r = decode(b, () -> Revocation.decode(b.der()));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "revocation");
                m.put("revokes", r.commitment().toString());
                return m;
            }
            default: {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "unknown block '" + b.type() + "'");
                m.put("bytes", b.der().length);
                return m;
            }
        }
    }

    private Map<String, Object> attestation(UnverifiedAttestation ua, Map<EntityId, Entity> entities) {
        Entity attester = entities.get(ua.attester());
        if (attester == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "attestation");
            m.put("id", ua.id().toString());
            m.put("attester", ua.attester().toString());
            m.put("signature", "unchecked (attester entity not in this file; its content is not shown)");
            return m;
        }
        Map<String, Object> m;
        try {
            m = Describe.attestation(ua.verify(attester));
            m.put("signature", "valid");
        } catch (WaveException e) {
            m = new LinkedHashMap<>();
            m.put("type", "attestation");
            m.put("id", ua.id().toString());
            m.put("attester", ua.attester().toString());
            m.put("signature", "INVALID: " + e.getMessage());
        }
        return m;
    }

    private Map<String, Object> proof(UnverifiedProof p) {
        Map<EntityId, Entity> ents = new HashMap<>();
        List<String> entityIds = new ArrayList<>();
        for (UnverifiedEntity ue : p.entities()) {
            entityIds.add(ue.id().toString());
            try {
                ents.put(ue.id(), ue.verify());
            } catch (WaveException e) {
                // shown as unchecked below
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "proof");
        m.put("id", p.id().toString());
        m.put("bytes", p.size());
        m.put("entities", entityIds);
        List<Map<String, Object>> atts = new ArrayList<>();
        for (UnverifiedAttestation ua : p.attestations()) {
            atts.add(attestation(ua, ents));
        }
        m.put("attestations", atts);
        List<List<String>> paths = new ArrayList<>();
        for (int i = 0; i < p.pathCount(); i++) {
            List<String> ids = new ArrayList<>();
            for (int k : p.path(i)) {
                ids.add(p.attestations().get(k).id().toString());
            }
            paths.add(ids);
        }
        m.put("paths", paths);
        return m;
    }

    private <T> T decode(Pem.Block b, java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (WaveException e) {
            throw new WaveException(e.code(), file + ": " + b.type() + ": " + e.getMessage());
        }
    }
}
