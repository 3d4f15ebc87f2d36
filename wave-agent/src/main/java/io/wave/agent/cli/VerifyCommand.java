package io.wave.agent.cli;

import io.wave.agent.client.AgentApi;
import io.wave.agent.client.AgentClient;
import io.wave.agent.files.EntityFiles;
import io.wave.agent.files.WaveFiles;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.policy.CaveatContext;
import io.wave.policy.Policy;
import io.wave.policy.ProofVerifier;
import io.wave.policy.ReasonCode;
import io.wave.policy.Request;
import io.wave.policy.RevocationView;
import io.wave.policy.Verdict;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Check that a proof is valid now and covers every POLICY.",
        "A caveat on a parameter or a confidence is checked against --param and --confidence; without them it",
        "cannot be, and the proof is refused as CAVEAT_UNCHECKED unless --conditional asks for a valid answer",
        "on those caveats, which it lists.",
        "Exit codes: 0 valid, 1 not valid (reason code on stderr), 2 unreadable input or bad arguments."})
final class VerifyCommand extends WaveCommand {
    @Parameters(index = "0", paramLabel = "PROOF", description = "A proof file (PEM or DER).")
    Path proofFile;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "POLICY", description = "What the proof must grant.")
    List<String> policies;

    @Option(names = "--subject", paramLabel = "ID|FILE", description = "The entity the proof must be for.")
    String subject;

    @Option(names = "--at", paramLabel = "TIME", description = "Check at this instant (ISO-8601, e.g. 2027-01-01T00:00:00Z) instead of now.")
    String at;

    @Option(names = "--json", description = "Print one JSON object: valid, reason, detail, expires, subject, proof, policies, conditional, conditions.")
    boolean json;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "A parameter of the use to check caveats against (repeatable); a number with at most six decimals.")
    List<String> params;

    @Option(names = "--confidence", paramLabel = "X", description = "A model decision's confidence in [0, 1], for 'confidence >= X' caveats.")
    String confidence;

    @Option(names = "--conditional", description = {"Without --param/--confidence, answer valid on the caveats that",
            "cannot be checked, and list them (conditional: true), instead of refusing with CAVEAT_UNCHECKED."})
    boolean conditional;

    @Option(names = "--offline", description = "Check no revocation status (no ledger): signatures, chain, validity and policy only.")
    boolean offline;

    @Option(names = "--unknown-revocation", paramLabel = "revoked|valid",
            description = {"How to treat a revocation status the ledger cannot answer (unreachable): revoked (default,",
                    "fail closed) or valid. Default: $WAVE_UNKNOWN_REVOCATION, else revoked."})
    String unknownRevocation;

    @picocli.CommandLine.Mixin
    LedgerOptions ledger;

    @picocli.CommandLine.Mixin
    AgentOptions agent;

    @Override
    public Integer call() {
        List<Policy> required = new ArrayList<>();
        for (String p : policies) {
            required.add(Policy.parse(p));
        }
        EntityId who = subject == null ? null : EntityFiles.resolve(subject).id();
        CaveatContext use = use();
        Clock clock = context.clock();
        if (at != null) {
            try {
                clock = Clock.fixed(Instant.parse(at), ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw WaveException.badArgument("--at '" + at + "' is not an ISO-8601 instant such as 2027-01-01T00:00:00Z");
            }
        }
        UnverifiedProof proof;
        try {
            proof = readProof();
        } catch (WaveException e) {
            if (json) {
                printJson(Describe.verdict(Verdict.deny(e.code() == ErrorCode.TOO_LARGE ? ReasonCode.TOO_LARGE
                        : ReasonCode.MALFORMED, e.getMessage(), who, null)));
            }
            throw e;
        }
        AgentClient client = agent.client(context);
        if (client != null) {
            AgentOptions.notWithAgent(at != null, "--at");
            AgentOptions.notWithAgent(offline, "--offline");
            AgentOptions.notWithAgent(unknownRevocation != null, "--unknown-revocation");
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = JSON.convertValue(client.verify(new AgentApi.VerifyRequest(
                    Base64.getEncoder().encodeToString(proof.encoded()), policies, who == null ? null : who.toString(),
                    use == null ? null : decimals, use == null || confidence == null ? null : new BigDecimal(confidence),
                    conditional ? Boolean.TRUE : null)), Map.class);
            return report(answer);
        }
        Verdict v;
        if (offline) {
            v = ProofVerifier.create(clock, RevocationView.NONE).verify(proof, new Request(required, who, use, conditional));
        } else {
            String policy = unknownRevocation != null ? unknownRevocation
                    : java.util.Objects.requireNonNullElse(context.env().apply("WAVE_UNKNOWN_REVOCATION"), "revoked");
            boolean failClosed = switch (policy) {
                case "revoked" -> true;
                case "valid" -> false;
                default -> throw WaveException.badArgument("--unknown-revocation is 'revoked' or 'valid', not '"
                        + policy + "'");
            };
            io.wave.ledger.Ledger l;
            try {
                l = ledger.open(context);
            } catch (WaveException e) {
                if (e.code() != ErrorCode.UNAVAILABLE) {
                    throw e;
                }
                // No ledger to ask: every revocation status is unknown, which the verifier treats as asked.
                err().println("wave: warning: " + e.getMessage() + "; revocation status unknown");
                l = null;
            }
            try {
                RevocationView view = l == null ? c -> RevocationView.Status.UNKNOWN : l.revocationView();
                v = ProofVerifier.create(clock, view).unknownRevocationIsRevoked(failClosed)
                        .verify(proof, new Request(required, who, use, conditional));
            } finally {
                if (l != null) {
                    l.close();
                }
            }
        }
        return report(Describe.verdict(v));
    }

    /** Prints a verdict (as {@link Describe#verdict} maps it, here or in an agent) and gives the exit code. */
    private int report(Map<String, Object> v) {
        boolean valid = Boolean.TRUE.equals(v.get("valid"));
        if (json) {
            printJson(v);
        } else if (valid) {
            out().println("valid: proof " + v.get("proof") + " grants " + v.get("subject") + " until " + v.get("expires"));
            for (Object o : (List<?>) v.get("policies")) {
                Map<?, ?> p = (Map<?, ?>) o;
                List<?> caveats = (List<?>) p.get("caveats");
                out().println("  " + p.get("policy") + (caveats.isEmpty() ? ""
                        : "  when " + String.join(" and ", caveats.stream().map(String::valueOf).toList())));
            }
            List<?> unchecked = (List<?>) v.get("conditions");
            if (unchecked != null && !unchecked.isEmpty()) {
                out().println("conditional: holds only for a use where "
                        + String.join(" and ", unchecked.stream().map(String::valueOf).toList()) + " (not checked)");
            }
        }
        if (!valid) {
            err().println(v.get("reason") + ": " + v.get("detail"));
            err().flush();
            return 1;
        }
        return 0;
    }

    /** The exact decimals of --param, kept to send to an agent as given. */
    private Map<String, BigDecimal> decimals;

    /** The use --param and --confidence describe, or null when they describe none. */
    private CaveatContext use() {
        if ((params == null || params.isEmpty()) && confidence == null) {
            return null;
        }
        decimals = new java.util.TreeMap<>();
        for (String p : params == null ? List.<String>of() : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw WaveException.badArgument("--param takes NAME=VALUE, not '" + p + "'");
            }
            try {
                if (decimals.put(p.substring(0, eq), new BigDecimal(p.substring(eq + 1).strip())) != null) {
                    throw WaveException.badArgument("--param " + p.substring(0, eq) + " is given twice");
                }
            } catch (NumberFormatException e) {
                throw WaveException.badArgument("--param " + p + ": the value is not a number");
            }
        }
        BigDecimal c;
        try {
            c = confidence == null ? null : new BigDecimal(confidence.strip());
        } catch (NumberFormatException e) {
            throw WaveException.badArgument("--confidence '" + confidence + "' is not a number");
        }
        return CaveatContext.ofDecimals(decimals, c);
    }

    private UnverifiedProof readProof() {
        for (Pem.Block b : WaveFiles.readBlocks(proofFile, Pem.PROOF)) {
            if (b.type().equals(Pem.PROOF)) {
                try {
                    return UnverifiedProof.decode(b.der());
                } catch (WaveException e) {
                    throw new WaveException(e.code(), proofFile + ": " + e.getMessage());
                }
            }
        }
        throw WaveException.malformed(proofFile + " holds no WAVE PROOF block");
    }
}
