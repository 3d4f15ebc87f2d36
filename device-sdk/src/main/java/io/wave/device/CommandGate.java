package io.wave.device;

import io.wave.crypto.CommandId;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.ProofId;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Command;
import io.wave.crypto.objects.CommandBody;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.UnverifiedCommand;
import io.wave.crypto.objects.UnverifiedEntity;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.policy.CaveatContext;
import io.wave.policy.Caveats;
import io.wave.policy.Policy;
import io.wave.policy.ProofVerifier;
import io.wave.policy.Request;
import io.wave.policy.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, for one payload from the network, whether a device may act on it. Transport-free: the
 * device agent hands it bytes and acts on the {@link Decision}; its only I/O is the nonce journal a
 * device agent with a state directory gives its {@link ReplayGuard}.
 *
 * <p>In order: size, strict decoding, a reply already given to this very command (a QoS 1 duplicate gets
 * the same reply and runs nothing), namespace and route, the proof (attached, or held from before:
 * else {@code PROOF_REQUIRED}), the sender bound by id to the proof's subject entity, the sender's
 * signature, freshness (and the guard's restart floor), the nonce never seen (and recorded), and last
 * the proof itself, verified now against the route's policy with the command's parameters as caveat
 * context and the revocation view the verifier was given. Only a command that passes all of them is
 * {@link Decision.Accept accepted}.
 *
 * <p>Thread-safe. State (nonces, held proofs, recent replies) is bounded.
 */
public final class CommandGate {
    /** How far a command's timestamp may lie from the device's clock, either way. */
    public static final Duration DEFAULT_FRESHNESS = Duration.ofSeconds(30);
    /** Proofs held for elision: a device sees few distinct senders. */
    public static final int DEFAULT_PROOF_CACHE = 1024;
    /** Nonces remembered beyond those one freshness window needs (see {@link ReplayGuard}). */
    public static final int DEFAULT_NONCE_CAPACITY = 100_000;

    /** What one command needs: the permissions it requires on its resource, and what runs it. */
    public record Route(String resource, String command, Policy required, CommandHandler handler) {
        public Route {
            CommandBody.checkResource(resource);
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(required, "required");
            Objects.requireNonNull(handler, "handler");
        }
    }

    /** The gate's answer for one payload. */
    public sealed interface Decision {}

    /**
     * Run the route's handler for this command, then {@link #complete} it with the signed reply. The
     * verdict is null only on a gate built without verification, for benchmarks.
     */
    public record Accept(CommandId id, CommandBody body, Route route, Verdict verdict) implements Decision {}

    /**
     * Refuse with {@code code}. {@code inReplyTo} is the command's id, or the payload id when it did not
     * decode; {@code remember} is true when the refusal concerns a signed command and should be kept for
     * its duplicates.
     */
    public record Refuse(Hash inReplyTo, ReplyCode code, String detail, boolean remember) implements Decision {}

    /** A command answered before: send {@code reply} again, or nothing while the first is still running. */
    public record Repeat(CommandId command, byte[] reply) implements Decision {}

    private final EntityId namespace;
    private final Map<String, Map<String, Route>> routes;
    private final ProofVerifier verifier;
    private final Clock clock;
    private final long freshnessMillis;
    private final ReplayGuard nonces;
    private final BoundedMap<ProofId, UnverifiedProof> proofs;
    private final ReplyCache replies;
    private final boolean verify;

    /** {@code nonces} must use {@code freshness} as its window. */
    CommandGate(EntityId namespace, List<Route> routes, ProofVerifier verifier, Clock clock, Duration freshness,
            int proofCache, int replyCache, boolean verify, ReplayGuard nonces) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.routes = index(routes);
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.freshnessMillis = freshness.toMillis();
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        this.proofs = new BoundedMap<>(proofCache);
        this.replies = new ReplyCache(replyCache);
        this.verify = verify;
    }

    /**
     * A gate for {@code routes} in {@code namespace} that checks proofs with {@code verifier}, remembering
     * nonces in memory only. It knows nothing of commands checked before it was made, so it refuses (as
     * {@code STALE}) every command signed before its creation plus the freshness window: one of those may
     * have run before a restart. A {@link DeviceAgent} with a state directory has no such window.
     */
    public static CommandGate create(EntityId namespace, List<Route> routes, ProofVerifier verifier, Clock clock) {
        return new CommandGate(namespace, routes, verifier, clock, DEFAULT_FRESHNESS, DEFAULT_PROOF_CACHE,
                ReplyCache.DEFAULT_CAPACITY, true, ReplayGuard.volatileFrom(DEFAULT_FRESHNESS.toMillis(),
                        DEFAULT_NONCE_CAPACITY, clock.instant()));
    }

    private static Map<String, Map<String, Route>> index(List<Route> routes) {
        java.util.HashMap<String, Map<String, Route>> out = new java.util.HashMap<>();
        for (Route r : routes) {
            Route prior = out.computeIfAbsent(r.resource(), k -> new java.util.HashMap<>()).put(r.command(), r);
            if (prior != null) {
                throw new IllegalArgumentException("two handlers for " + r.command() + " on " + r.resource());
            }
        }
        out.replaceAll((k, v) -> Map.copyOf(v));
        return Map.copyOf(out);
    }

    public EntityId namespace() {
        return namespace;
    }

    /** Every resource with at least one route. */
    public java.util.Set<String> resources() {
        return routes.keySet();
    }

    /** Decides what to do with {@code payload}. Never throws for anything in the payload. */
    public Decision check(byte[] payload) {
        if (payload.length > Limits.MAX_COMMAND_BYTES) {
            return new Refuse(UnverifiedCommand.payloadId(payload), ReplyCode.TOO_LARGE,
                    "command is " + payload.length + " bytes; the limit is " + Limits.MAX_COMMAND_BYTES, false);
        }
        UnverifiedCommand u;
        try {
            u = UnverifiedCommand.decode(payload);
        } catch (WaveException e) {
            return new Refuse(UnverifiedCommand.payloadId(payload),
                    e.code() == ErrorCode.TOO_LARGE ? ReplyCode.TOO_LARGE : ReplyCode.MALFORMED, e.getMessage(), false);
        }
        Hash id = u.id().hash();
        byte[] earlier = replies.lookup(u.id());
        if (earlier != null || replies.isPending(u.id())) {
            return new Repeat(u.id(), earlier);
        }
        CommandBody claimed = u.claimedBody();
        if (!claimed.namespace().equals(namespace)) {
            return new Refuse(id, ReplyCode.UNKNOWN_RESOURCE, "this device serves namespace " + namespace, false);
        }
        Map<String, Route> commands = routes.get(claimed.resource());
        if (commands == null) {
            return new Refuse(id, ReplyCode.UNKNOWN_RESOURCE, "this device does not serve " + claimed.resource(), false);
        }
        Route route = commands.get(claimed.command());
        if (route == null) {
            return new Refuse(id, ReplyCode.UNKNOWN_COMMAND, claimed.resource() + " has no command '"
                    + claimed.command() + "' (it has " + String.join(", ", new java.util.TreeSet<>(commands.keySet()))
                    + ")", false);
        }
        if (!verify) {
            replies.begin(u.id());
            return new Accept(u.id(), claimed, route, null);
        }
        UnverifiedProof proof = u.proof().orElseGet(() -> proofs.get(u.proofId()));
        if (proof == null) {
            return new Refuse(id, ReplyCode.PROOF_REQUIRED, "this device does not hold proof " + u.proofId()
                    + "; send the command again with the proof attached", false);
        }
        Command command;
        try {
            Entity sender = senderIn(proof, u.sender());
            if (sender == null) {
                return new Refuse(id, ReplyCode.WRONG_SUBJECT, "the proof carries no entity " + u.sender()
                        + ": it is not the sender's proof", false);
            }
            command = u.verify(sender);
        } catch (WaveException e) {
            ReplyCode code = e.code() == ErrorCode.BAD_SIGNATURE ? ReplyCode.BAD_SIGNATURE : ReplyCode.MALFORMED;
            return new Refuse(id, code, e.getMessage(), false);
        }
        CommandBody body = command.body();
        Instant now = clock.instant();
        long skew = body.timestamp().toEpochMilli() - now.toEpochMilli();
        if (Math.abs(skew) > freshnessMillis) {
            return new Refuse(id, ReplyCode.STALE, "command timestamp " + body.timestamp() + " is "
                    + Math.abs(skew) / 1000 + " s " + (skew < 0 ? "old" : "ahead") + "; the window is "
                    + freshnessMillis / 1000 + " s", false);
        }
        long floor = nonces.restartFloor();
        if (body.timestamp().toEpochMilli() < floor) {
            return new Refuse(id, ReplyCode.STALE, "command timestamp " + body.timestamp() + " is before "
                    + Instant.ofEpochMilli(floor) + ": this device does not remember the commands it checked before "
                    + "it last started (volatile state, or a missing or unreadable nonce journal), and one signed "
                    + "earlier may have run already; send a new command after " + Instant.ofEpochMilli(floor), false);
        }
        boolean first;
        try {
            first = nonces.firstSight(body.sender(), body.nonce(), body.timestamp().toEpochMilli(), now);
        } catch (WaveException e) {
            // Unrecorded, the nonce would be forgotten by a restart: nothing runs until it can be recorded.
            return new Refuse(id, ReplyCode.BUSY, "this device could not record the command's nonce ("
                    + e.getMessage() + "); nothing ran, retry later", false);
        }
        if (!first) {
            return new Refuse(id, ReplyCode.REPLAY, "this command's nonce was seen already", false);
        }
        // From here on the command is signed and fresh: its outcome is kept for its duplicates.
        replies.begin(command.id());
        Verdict verdict;
        try {
            verdict = verifier.verify(proof, new Request(List.of(route.required()), body.sender(), context(body)));
        } catch (RuntimeException e) {
            // A revocation view of the embedder's that fails is an answer nobody can trust: fail closed.
            return new Refuse(id, ReplyCode.REVOKED, "revocation status could not be read (failing closed): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true);
        }
        if (!verdict.valid()) {
            return new Refuse(id, ReplyCode.of(verdict.reason()), verdict.detail(), true);
        }
        if (u.proof().isPresent()) {
            proofs.put(proof.id(), proof);
        }
        return new Accept(command.id(), body, route, verdict);
    }

    /** Records the signed reply to an accepted or remembered command, for its duplicates. */
    public void complete(CommandId command, byte[] reply) {
        replies.complete(command, reply);
    }

    /** Commands signed before this are refused (see {@link ReplayGuard#restartFloor()}). */
    long restartFloor() {
        return nonces.restartFloor();
    }

    /** Closes the nonce journal, if any; commands checked after this are refused. */
    void close() {
        nonces.close();
    }

    /** Forgets a command whose reply could not be made, so that a redelivery is checked afresh. */
    public void abandon(CommandId command) {
        replies.abandon(command);
    }

    private static Entity senderIn(UnverifiedProof proof, EntityId sender) {
        for (UnverifiedEntity e : proof.entities()) {
            if (e.id().equals(sender)) {
                return e.bindTo(sender);
            }
        }
        return null;
    }

    /**
     * Every number the command carries, exactly, and its confidence: never null, so each caveat on the proof
     * is decided against this command (a missing bounded parameter refuses it, it is never left as a condition).
     */
    private static CaveatContext context(CommandBody body) {
        Map<String, ParamValue.Number> numbers = body.numbers();
        return new CaveatContext(numbers, numbers.get(Caveats.CONFIDENCE));
    }
}
