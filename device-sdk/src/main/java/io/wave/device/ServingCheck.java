package io.wave.device;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.ledger.Ledger;
import io.wave.policy.CaveatContext;
import io.wave.policy.Policy;
import io.wave.policy.ProofVerifier;
import io.wave.policy.Request;
import io.wave.policy.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Who may answer a command: an entity is entitled to serve a resource when a proof rooted at the
 * namespace grants it {@value #SERVE} on that resource, granted like any other permission (by the
 * namespace, or by whoever holds it re-delegably). A signed reply proves only who signed it; without
 * this check anyone who can subscribe to a command topic could answer {@code OK} for a device.
 *
 * <p>A {@link CommandClient} connected with a check accepts a reply only from an entity the check
 * entitles, and keeps each positive answer for a short while ({@link CommandClient#SERVING_TTL}, never past
 * the answer's {@link Entitlement#until()}) so a busy device costs no ledger I/O per reply. A check that
 * cannot answer (the ledger or agent away) may throw: the client counts that as not entitled.
 *
 * <p>From a ledger ({@link #fromLedger}), or from an agent daemon (the agent client's
 * {@code servingCheck()}), as {@code wave send} does without {@code --device}.
 */
@FunctionalInterface
public interface ServingCheck {
    /** The permission that entitles a device to answer commands for a resource. */
    String SERVE = "device:serve";

    /**
     * Whether {@code device} may now serve {@code resource} in {@code namespace}.
     *
     * @throws WaveException UNAVAILABLE (or another code) when it cannot tell; never an entitlement on doubt
     */
    Entitlement check(EntityId device, EntityId namespace, String resource);

    /**
     * The answer: entitled until {@code until} (when the covering grants stop being valid), or not, and why.
     *
     * @param entitled whether a proof rooted at the namespace grants the device {@value #SERVE} on the resource now
     * @param until    when that proof stops being valid; null exactly when not entitled
     * @param detail   one line for a human: the proof, or why there is none
     */
    record Entitlement(boolean entitled, Instant until, String detail) {
        public Entitlement {
            Objects.requireNonNull(detail, "detail");
            if (entitled != (until != null)) {
                throw new IllegalArgumentException("an entitlement has an end exactly when it is granted");
            }
        }

        public static Entitlement until(Instant until, String detail) {
            return new Entitlement(true, Objects.requireNonNull(until, "until"), detail);
        }

        public static Entitlement refused(String detail) {
            return new Entitlement(false, null, detail);
        }
    }

    /** The policy a device must hold to serve {@code resource} in {@code namespace}. */
    static Policy servePolicy(EntityId namespace, String resource) {
        return Policy.parse(SERVE + "@" + namespace + "/" + resource);
    }

    /**
     * Builds the device's proof from {@code ledger}'s attestations and verifies it against the ledger's
     * revocation view, an unknown revocation status counting as revoked. Caveats on the serve grant are
     * checked against no parameters, so a caveat on a parameter refuses it (serving has none); a daily
     * window is honoured.
     */
    static ServingCheck fromLedger(Ledger ledger, Clock clock) {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(clock, "clock");
        ProofSource proofs = ProofSource.fromLedger(ledger, clock);
        ProofVerifier verifier = ProofVerifier.create(clock, ledger.revocationView());
        return (device, namespace, resource) -> {
            Policy serve = servePolicy(namespace, resource);
            UnverifiedProof proof;
            try {
                proof = proofs.proofFor(device, List.of(serve));
            } catch (WaveException e) {
                if (e.code() == ErrorCode.NO_PROOF || e.code() == ErrorCode.NOT_FOUND) {
                    return Entitlement.refused(e.code() + ": " + e.getMessage());
                }
                throw e;
            }
            Verdict v = verifier.verify(proof, new Request(List.of(serve), device, CaveatContext.NONE));
            return v.valid() ? Entitlement.until(v.expires(), "proof " + v.proof() + " grants " + serve)
                    : Entitlement.refused(v.reason() + ": " + v.detail());
        };
    }
}
