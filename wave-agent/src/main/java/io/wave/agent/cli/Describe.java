package io.wave.agent.cli;

import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.Caveat;
import io.wave.crypto.objects.Entity;
import io.wave.policy.EffectivePolicy;
import io.wave.policy.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One way to present each object, as JSON-ready maps; text output prints the same fields, and the agent's
 * REST API answers with the same maps, so the CLI prints the same whether it ran locally or through an agent.
 */
public final class Describe {
    private Describe() {}

    public static Map<String, Object> entity(Entity e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "entity");
        m.put("id", e.id().toString());
        m.put("signingKey", hex(e.signingKey().encoded()));
        m.put("encryptionKey", hex(e.encryptionKey().encoded()));
        m.put("notBefore", e.validity().notBefore().toString());
        m.put("notAfter", e.validity().notAfter().toString());
        m.put("revocationCommitment", e.revocation().toString());
        return m;
    }

    public static Map<String, Object> attestation(Attestation a) {
        AttestationBody b = a.body();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "attestation");
        m.put("id", a.id().toString());
        m.put("attester", b.attester().toString());
        m.put("subject", b.subject().toString());
        m.put("policy", b.permissionSet() + ":" + String.join(",", b.permissions()) + "@" + b.namespace() + "/"
                + b.resource());
        m.put("namespace", b.namespace().toString());
        m.put("permissionSet", b.permissionSet().toString());
        m.put("permissions", b.permissions());
        m.put("resource", b.resource());
        m.put("indirections", b.indirections());
        m.put("notBefore", b.validity().notBefore().toString());
        m.put("notAfter", b.validity().notAfter().toString());
        List<String> cav = new ArrayList<>();
        for (Caveat c : b.caveats()) {
            cav.add(c.toString());
        }
        m.put("caveats", cav);
        m.put("revocationCommitment", b.revocation().toString());
        return m;
    }

    public static Map<String, Object> effective(EffectivePolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", p.policy().toString());
        m.put("caveats", p.caveats().describe());
        m.put("indirections", p.indirections());
        m.put("notBefore", p.validity().notBefore().toString());
        m.put("notAfter", p.validity().notAfter().toString());
        m.put("path", p.path().stream().map(Object::toString).toList());
        return m;
    }

    public static Map<String, Object> verdict(Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", v.valid());
        m.put("reason", v.reason().name());
        m.put("detail", v.detail());
        m.put("expires", v.expires() == null ? null : v.expires().toString());
        m.put("subject", v.subject() == null ? null : v.subject().toString());
        m.put("proof", v.proof() == null ? null : v.proof().toString());
        m.put("policies", v.policies().stream().map(Describe::effective).toList());
        m.put("conditional", v.conditional());
        m.put("conditions", v.conditions());
        return m;
    }

    /** The answer to a resolve: {name, declarations: [{subject, attester, id, notAfter}]}. */
    public static Map<String, Object> declarations(String name, List<io.wave.crypto.objects.NameDeclaration> found) {
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
        return m;
    }

    /** A proof just built and checked: {proof, subject, bytes, paths, expires}. */
    public static Map<String, Object> proof(io.wave.policy.ProofBuilder.Found found, io.wave.crypto.EntityId subject,
            Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("proof", found.proof().id().toString());
        m.put("subject", subject.toString());
        m.put("bytes", found.proof().size());
        m.put("paths", found.paths().stream().map(p -> p.stream().map(g -> g.id().toString()).toList()).toList());
        m.put("expires", v.expires().toString());
        return m;
    }

    /** A grant graph: {entities: [{id, notAfter, revoked}], grants: [{id, attester, subject, policy, indirections, notAfter, revoked}]}. */
    public static Map<String, Object> graph(io.wave.policy.GrantGraph g,
            java.util.function.Predicate<io.wave.crypto.RevocationCommitment> revoked) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Entity e : g.entities()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("id", e.id().toString());
            n.put("notAfter", e.validity().notAfter().toString());
            n.put("revoked", revoked.test(e.revocation()));
            nodes.add(n);
        }
        List<Map<String, Object>> edges = new ArrayList<>();
        for (io.wave.policy.Grant gr : g.grants()) {
            AttestationBody b = gr.attestation().body();
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("id", gr.id().toString());
            n.put("attester", gr.attester().toString());
            n.put("subject", gr.subject().toString());
            n.put("policy", gr.policy().toString());
            n.put("indirections", gr.indirections());
            n.put("notAfter", b.validity().notAfter().toString());
            n.put("revoked", revoked.test(b.revocation()));
            edges.add(n);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entities", nodes);
        m.put("grants", edges);
        return m;
    }

    /** The same graph in Graphviz DOT: entities by short id, grants as edges labelled with their policy, revoked dashed. */
    public static String dot(io.wave.policy.GrantGraph g,
            java.util.function.Predicate<io.wave.crypto.RevocationCommitment> revoked) {
        StringBuilder sb = new StringBuilder("digraph wave {\n  rankdir=LR;\n  node [shape=box, fontname=monospace];\n");
        for (Entity e : g.entities()) {
            sb.append("  \"").append(e.id()).append("\" [label=\"").append(e.id().toString(), 0, 8).append('"')
                    .append(revoked.test(e.revocation()) ? ", style=dashed" : "").append("];\n");
        }
        for (io.wave.policy.Grant gr : g.grants()) {
            sb.append("  \"").append(gr.attester()).append("\" -> \"").append(gr.subject()).append("\" [label=\"")
                    .append(gr.policy().toString().replace("\"", "\\\"")).append('"')
                    .append(revoked.test(gr.attestation().body().revocation()) ? ", style=dashed" : "").append("];\n");
        }
        return sb.append("}\n").toString();
    }

    /** Prints a map as aligned "key: value" lines; lists of objects are printed as indented items below their key. */
    static void text(java.io.PrintWriter out, Map<String, Object> m) {
        text(out, m, "", "");
    }

    private static void text(java.io.PrintWriter out, Map<String, Object> m, String firstIndent, String indent) {
        int w = m.keySet().stream().mapToInt(String::length).max().orElse(0);
        String lead = firstIndent;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map) {
                out.println(lead + e.getKey() + ":");
                for (Object o : l) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> item = (Map<String, Object>) o;
                    text(out, item, indent + "  - ", indent + "    ");
                }
            } else {
                String s = v instanceof List<?> l
                        ? (l.isEmpty() ? "-" : String.join(", ", l.stream().map(String::valueOf).toList()))
                        : String.valueOf(v);
                out.printf("%s%-" + (w + 1) + "s %s%n", lead, e.getKey() + ":", s);
            }
            lead = indent;
        }
    }

    /**
     * What a publish wrote, as {@code wave publish --json} prints it: {head (when the ledger signs one),
     * objects: [{kind, id, index}]}; {@code receipts} is not empty.
     */
    public static Map<String, Object> receipts(List<io.wave.ledger.Receipt> receipts) {
        Map<String, Object> m = new LinkedHashMap<>();
        receipts.get(receipts.size() - 1).treeHead().ifPresent(h -> m.put("head", head(h)));
        m.put("objects", receipts.stream().map(r -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
            o.put("id", r.id().toString());
            o.put("index", r.index());
            return o;
        }).toList());
        return m;
    }

    /**
     * A ledger's checked head, as {@code wave ledger status --json} prints it: {ledger, size, head, key, keptHeads,
     * anchoredHead, queuedPublishes (a ledger server's client only)}.
     */
    public static Map<String, Object> ledgerStatus(String ledger, io.wave.ledger.SignedTreeHead head,
            io.wave.crypto.VerifyingKey key, int keptHeads, io.wave.ledger.ethereum.AnchoredHead anchored, Integer queued) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ledger", ledger);
        m.put("size", head.size());
        m.put("head", head(head));
        m.put("key", hex(key.encoded()));
        m.put("keptHeads", keptHeads);
        m.put("anchoredHead", anchored == null ? null : anchored(anchored));
        if (queued != null) {
            m.put("queuedPublishes", queued);
        }
        return m;
    }

    /** An audit that passed, as {@code wave ledger audit --json} prints it: {ok, anchoredHeads, size, root, keptHeads}. */
    public static Map<String, Object> ledgerAudit(io.wave.ledger.SignedTreeHead head, int keptHeads, int anchoredHeads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("anchoredHeads", anchoredHeads);
        m.put("size", head.size());
        m.put("root", head.rootHex());
        m.put("keptHeads", keptHeads);
        return m;
    }

    /** A head anchored on chain: the head's fields, then {block, transaction, anchor}. */
    static Map<String, Object> anchored(io.wave.ledger.ethereum.AnchoredHead a) {
        Map<String, Object> m = new LinkedHashMap<>(head(a.head()));
        m.put("block", a.block());
        m.put("transaction", a.transaction());
        m.put("anchor", a.anchor());
        return m;
    }

    static Map<String, Object> head(io.wave.ledger.SignedTreeHead h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size", h.size());
        m.put("root", h.rootHex());
        m.put("timestamp", java.time.Instant.ofEpochMilli(h.timestamp()).toString());
        m.put("signature", hex(h.signature()));
        return m;
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
