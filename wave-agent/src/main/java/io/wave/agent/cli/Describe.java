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

/** One way to present each object, as JSON-ready maps; text output prints the same fields. */
final class Describe {
    private Describe() {}

    static Map<String, Object> entity(Entity e) {
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

    static Map<String, Object> attestation(Attestation a) {
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

    static Map<String, Object> effective(EffectivePolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", p.policy().toString());
        m.put("caveats", p.caveats().describe());
        m.put("indirections", p.indirections());
        m.put("notBefore", p.validity().notBefore().toString());
        m.put("notAfter", p.validity().notAfter().toString());
        m.put("path", p.path().stream().map(Object::toString).toList());
        return m;
    }

    static Map<String, Object> verdict(Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", v.valid());
        m.put("reason", v.reason().name());
        m.put("detail", v.detail());
        m.put("expires", v.expires() == null ? null : v.expires().toString());
        m.put("subject", v.subject() == null ? null : v.subject().toString());
        m.put("proof", v.proof() == null ? null : v.proof().toString());
        m.put("policies", v.policies().stream().map(Describe::effective).toList());
        return m;
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
