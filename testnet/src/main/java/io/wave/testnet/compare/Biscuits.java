package io.wave.testnet.compare;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.biscuitsec.biscuit.crypto.PublicKey;
import org.biscuitsec.biscuit.datalog.RunLimits;
import org.biscuitsec.biscuit.error.Error;
import org.biscuitsec.biscuit.token.Authorizer;
import org.biscuitsec.biscuit.token.Biscuit;
import org.biscuitsec.biscuit.token.RevocationIdentifier;
import org.biscuitsec.biscuit.token.builder.Block;
import org.biscuitsec.biscuit.token.builder.Fact;
import org.biscuitsec.biscuit.token.builder.Utils;

/**
 * Biscuit tokens shaped like the WAVE chains of {@code wave bench verify}, and the check a service makes of
 * them. A chain of {@code hops} is the authority block (signed by the root key: the namespace's grant to
 * the first holder) and {@code hops - 1} attenuation blocks (each holder's narrowing for the next), so a
 * token of {@code hops} blocks carries {@code hops} signatures, as the WAVE proof of {@code hops}
 * attestations does. Block {@code i} narrows as attestation {@code i} does: resources under
 * {@code building1/}, then {@code building1/floor2/}, then {@code building1/floor2/+/setpoint} (a regular
 * expression); operations {@code actuate} and {@code read}; and an expiry.
 */
final class Biscuits {
    /** The resource and operation asked for, as the WAVE benchmark asks (device:actuate on the setpoint). */
    static final String RESOURCE = "building1/floor2/hvac/setpoint";
    static final String OPERATION = "actuate";

    /**
     * Datalog evaluation limits: the library's defaults for facts (1,000) and iterations (100), which bound the
     * work of an evaluation whatever the machine does. Biscuit's third limit is wall-clock time, which measures
     * the machine as much as the token: its 5 ms default, then 500 ms here, turned a pause of a busy 2-core
     * machine into {@code Error.Timeout}, and so a benchmark (and its test) into a failure. The tokens here are
     * the benchmark's own, so the clock is only a backstop, set far beyond any pause. A service facing
     * untrusted tokens keeps a tight time limit as well; the check costs the same whatever the bound.
     */
    static final RunLimits LIMITS = new RunLimits(1000, 100, Duration.ofMinutes(10));

    /** How a check ended: a timed-out evaluation decided nothing, which is not the same as a refusal. */
    enum Outcome { ALLOWED, REFUSED, TIMED_OUT }

    private Biscuits() {}

    /** A serialized token and the root public key it verifies under. */
    record Token(byte[] bytes, PublicKey root) {
        Token {
            bytes = bytes.clone();
            Objects.requireNonNull(root, "root");
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /** A token of {@code hops} blocks (1 authority + {@code hops - 1} attenuations), valid until {@code expiry}. */
    static Token chain(int hops, SecureRandom random, Instant expiry) {
        if (hops < 1) {
            throw new IllegalArgumentException("hops must be at least 1");
        }
        try {
            KeyPair root = new KeyPair(random);
            org.biscuitsec.biscuit.token.builder.Biscuit authority = Biscuit.builder(random, root);
            authority.add_authority_fact("right(\"actuate\")");
            authority.add_authority_fact("right(\"read\")");
            authority.add_authority_check(resourceCheck(0));
            authority.add_authority_check(expiryCheck(expiry));
            Biscuit token = authority.build();
            for (int i = 1; i < hops; i++) {
                Block block = token.create_block();
                block.add_check(resourceCheck(i));
                block.add_check("check if operation($op), [\"actuate\", \"read\"].contains($op)");
                block.add_check(expiryCheck(expiry));
                // The library signs block i with the key block i-1 carried and draws a fresh key for the next.
                token = token.attenuate(random, new KeyPair(random), block);
            }
            return new Token(token.serialize(), root.public_key());
        } catch (Error e) {
            throw new IllegalStateException("cannot build the benchmark token: " + e, e);
        }
    }

    private static String resourceCheck(int block) {
        return switch (block) {
            case 0 -> "check if resource($r), $r.starts_with(\"building1/\")";
            case 1 -> "check if resource($r), $r.starts_with(\"building1/floor2/\")";
            default -> "check if resource($r), $r.matches(\"^building1/floor2/[^/]+/setpoint$\")";
        };
    }

    private static String expiryCheck(Instant expiry) {
        return "check if time($t), $t <= " + expiry;
    }

    /**
     * What a service does with a token it is handed: parse the bytes and check every block's signature
     * from the root key, refuse revoked tokens (an in-memory set of revocation ids), then authorize the
     * request with the service's facts (resource, operation, time) and its policy
     * {@code allow if right($op), operation($op)} under its run limits ({@link #LIMITS} unless given). Facts
     * and policy are parsed once, as a service would keep them; every call evaluates them afresh.
     */
    static final class Service {
        private final PublicKey root;
        private final Set<String> revokedIds;
        private final List<Fact> facts;
        private final org.biscuitsec.biscuit.token.Policy policy;
        private final RunLimits limits;

        Service(PublicKey root, Set<String> revokedIds, Instant now, String resource, String operation) {
            this(root, revokedIds, now, resource, operation, LIMITS);
        }

        Service(PublicKey root, Set<String> revokedIds, Instant now, String resource, String operation,
                RunLimits limits) {
            this.root = Objects.requireNonNull(root, "root");
            this.limits = Objects.requireNonNull(limits, "limits");
            this.revokedIds = Set.copyOf(revokedIds);
            try {
                this.facts = List.of(
                        Utils.fact("resource", List.of(Utils.string(resource))),
                        Utils.fact("operation", List.of(Utils.string(operation))),
                        Utils.fact("time", List.of(Utils.date(Date.from(now)))));
            } catch (Error.Language e) {
                throw new IllegalStateException(e.toString(), e);
            }
            this.policy = org.biscuitsec.biscuit.token.builder.parser.Parser
                    .policy("allow if right($op), operation($op)")
                    .getOrElseThrow(e -> new IllegalStateException(e.toString()))._2;
        }

        /** True when the token is genuine, unrevoked and allows the request; false otherwise. */
        boolean allows(byte[] token) {
            return check(token) == Outcome.ALLOWED;
        }

        /**
         * {@link Outcome#ALLOWED} when the token is genuine, unrevoked and allows the request;
         * {@link Outcome#TIMED_OUT} when the run limits' clock ran out before the authorizer decided;
         * {@link Outcome#REFUSED} for any other outcome.
         */
        Outcome check(byte[] token) {
            try {
                Biscuit b = Biscuit.from_bytes(token, root);
                for (RevocationIdentifier id : b.revocation_identifiers()) {
                    if (revokedIds.contains(id.toHex())) {
                        return Outcome.REFUSED;
                    }
                }
                Authorizer authorizer = b.authorizer();
                for (Fact f : facts) {
                    authorizer.add_fact(f);
                }
                authorizer.add_policy(policy);
                authorizer.authorize(limits);
                return Outcome.ALLOWED;
            } catch (Error.Timeout e) {
                return Outcome.TIMED_OUT;
            } catch (Error | java.security.GeneralSecurityException e) {
                return Outcome.REFUSED;
            } catch (IllegalArgumentException e) {
                // A malformed public key in a block escapes the library unchecked (net.i2p's "not a valid
                // GroupElement"): a service must catch it too.
                return Outcome.REFUSED;
            }
        }
    }
}
