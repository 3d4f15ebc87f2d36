package io.wave.device;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.ProofId;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Command;
import io.wave.crypto.objects.CommandBody;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.Reply;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.crypto.objects.UnverifiedReply;
import io.wave.device.internal.MqttLink;
import io.wave.policy.Policy;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The sending side: signs a command as its entity, sends it to the resource's command topic with an
 * MQTT 5 response topic of its own, waits for the device's signed reply, checks the signature, and
 * returns a typed {@link CommandResult}.
 *
 * <p>Proof elision as in WAVEMQ: a proof goes in full the first time per resource; once the device has
 * accepted a command under it, later commands carry only its id. A {@code PROOF_REQUIRED} answer (the
 * device restarted, or dropped the proof) makes the client resend the same signed command with the proof.
 * A command with no answer is resent, unchanged, every {@link #DEFAULT_RESEND} until the timeout: the
 * device runs it at most once and answers its duplicates with the same reply.
 *
 * <p>Who may answer: a signed reply proves only who signed it, and anyone who can subscribe to a command
 * topic (or publish to the client's inbox) can sign one. So a reply is accepted only from the device the
 * caller pins ({@code expectedDevice}, {@code wave send --device}) or, unpinned, from an entity that a
 * {@link ServingCheck} given at {@link #connect(EntitySecret, BrokerAddress, Clock, SecureRandom, ServingCheck)
 * connect} entitles to serve the resource ({@code device:serve} granted from the namespace). Replies from
 * anyone else are ignored, and the wait goes on; a timeout then says how many were ignored and why. With
 * neither a pin nor a check there is no way to tell the device from an impostor, and {@link #send} refuses
 * to send at all.
 */
public final class CommandClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RESEND = Duration.ofSeconds(2);
    /** Device entities whose self-signature was checked, kept by id: a client talks to few devices. */
    static final int DEVICE_CACHE = 1024;
    /** Proofs from a {@link ProofSource}, kept by policy: a client sends to few resources. */
    static final int PROOF_CACHE = 1024;
    /**
     * How long a positive serving check is trusted without asking again (never past the proof's own end):
     * a revoked serve grant stops a client accepting the device within this, while a busy device costs one
     * check per resource per 30 s instead of ledger I/O per reply. 30 s is the commands' own freshness
     * window, and well under the minutes a serve grant typically lives.
     */
    public static final Duration SERVING_TTL = Duration.ofSeconds(30);
    /** Positive serving checks kept, by (device, namespace, resource): a client talks to few devices. */
    static final int SERVING_CACHE = 1024;
    /** Verified replies waiting for the sender to check who sent them, per command; beyond it they are dropped. */
    static final int MAX_QUEUED_REPLIES = 64;
    /** Entities per command remembered as not entitled (so an impostor's repeats cost no further check). */
    static final int MAX_REFUSED_REMEMBERED = 64;
    /** Refusals that say the proof itself no longer holds: another one may (a caveat broken by parameters does not). */
    private static final Set<ReplyCode> STALE_PROOF = java.util.EnumSet.of(ReplyCode.BROKEN_CHAIN, ReplyCode.WRONG_SUBJECT,
            ReplyCode.EXPIRED, ReplyCode.NOT_YET_VALID, ReplyCode.REVOKED, ReplyCode.NAMESPACE_MISMATCH,
            ReplyCode.PERMISSION_NOT_GRANTED, ReplyCode.RESOURCE_NOT_COVERED, ReplyCode.INDIRECTIONS_EXCEEDED);

    private final EntitySecret entity;
    private final Clock clock;
    private final SecureRandom random;
    private final String clientId;
    private final MqttLink link;
    private final Map<Hash, Pending> pending = new ConcurrentHashMap<>();
    private final Set<String> subscribedInboxes = ConcurrentHashMap.newKeySet();
    private final Set<String> proofsHeld = ConcurrentHashMap.newKeySet();
    private final BoundedMap<EntityId, Entity> devices = new BoundedMap<>(DEVICE_CACHE);
    private final BoundedMap<String, UnverifiedProof> builtProofs = new BoundedMap<>(PROOF_CACHE);
    private final ServingCheck serving;
    private final Duration servingTtl;
    /** Until when each (device, namespace, resource) was found entitled; only positive answers are kept. */
    private final BoundedMap<ServingKey, Instant> entitled = new BoundedMap<>(SERVING_CACHE);

    private record ServingKey(EntityId device, EntityId namespace, String resource) {}

    /** A command waiting for its answer: the verified replies, in arrival order, for the sender to judge. */
    private static final class Pending {
        /** Verified {@link Reply}s, or {@link #CLOSED} when the client closes under a waiting send. */
        final BlockingQueue<Object> replies = new ArrayBlockingQueue<>(MAX_QUEUED_REPLIES);
        final EntityId expectedDevice;
        final Ignored ignored;

        Pending(EntityId expectedDevice, Ignored ignored) {
            this.expectedDevice = expectedDevice;
            this.ignored = ignored;
        }
    }

    private static final Object CLOSED = new Object();

    /**
     * The entities a send found not entitled to answer, and why, with how many replies were ignored.
     * Shared with the MQTT thread, which drops a known impostor's further replies before they take a
     * place in the queue.
     */
    private static final class Ignored {
        private final Map<EntityId, String> why = new java.util.LinkedHashMap<>();
        private int count;

        synchronized boolean known(EntityId device) {
            if (why.containsKey(device)) {
                count++;
                return true;
            }
            return false;
        }

        synchronized void refuse(EntityId device, String reason) {
            count++;
            if (why.size() < MAX_REFUSED_REMEMBERED) {
                why.put(device, reason);
            }
        }

        synchronized String describe(EntityId ns, String resource) {
            if (count == 0) {
                return "";
            }
            var first = why.entrySet().iterator().next();
            return "; " + count + (count == 1 ? " reply" : " replies") + " from " + why.size()
                    + (why.size() == 1 ? " entity" : " entities") + " not shown to be entitled to serve " + ns + "/"
                    + resource + " (" + ServingCheck.SERVE + ") " + (count == 1 ? "was" : "were") + " ignored: "
                    + first.getKey() + ": " + first.getValue();
        }
    }

    private CommandClient(EntitySecret entity, BrokerAddress broker, Clock clock, SecureRandom random,
            Duration connectTimeout, ServingCheck serving, Duration servingTtl) {
        this.entity = Objects.requireNonNull(entity, "entity");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.serving = serving;
        this.servingTtl = Objects.requireNonNull(servingTtl, "servingTtl");
        byte[] suffix = new byte[6];
        random.nextBytes(suffix);
        this.clientId = "wave-client-" + java.util.HexFormat.of().formatHex(suffix);
        this.link = MqttLink.connect(broker, clientId, false, Limits.MAX_REPLY_BYTES + 1024L, connectTimeout,
                this::receive, List.of());
    }

    /**
     * Connects to {@code broker} as {@code entity}, with no way to tell who may answer: every send must pin
     * the device that is to answer ({@code expectedDevice}).
     *
     * @throws WaveException UNAVAILABLE when the broker cannot be reached
     */
    public static CommandClient connect(EntitySecret entity, BrokerAddress broker, Clock clock, SecureRandom random) {
        return new CommandClient(entity, broker, clock, random, DeviceAgent.DEFAULT_CONNECT_TIMEOUT, null, SERVING_TTL);
    }

    /**
     * Connects to {@code broker} as {@code entity}; a send that pins no device accepts a reply only from an
     * entity {@code serving} entitles to serve the resource.
     *
     * @throws WaveException UNAVAILABLE when the broker cannot be reached
     */
    public static CommandClient connect(EntitySecret entity, BrokerAddress broker, Clock clock, SecureRandom random,
            ServingCheck serving) {
        return connect(entity, broker, clock, random, serving, SERVING_TTL);
    }

    /** As above with another time to trust a positive check: for tests of revocation, which cannot wait 30 s. */
    static CommandClient connect(EntitySecret entity, BrokerAddress broker, Clock clock, SecureRandom random,
            ServingCheck serving, Duration servingTtl) {
        return new CommandClient(entity, broker, clock, random, DeviceAgent.DEFAULT_CONNECT_TIMEOUT,
                Objects.requireNonNull(serving, "serving"), servingTtl);
    }

    /** The sender's entity id. */
    public EntityId id() {
        return entity.id();
    }

    /**
     * Sends {@code command} with {@code params} to {@code resource} in {@code namespace} under {@code proof}
     * and waits for the reply.
     *
     * @param expectedDevice the device that must answer, or null to take the first reply from an entity the
     *     client's {@link ServingCheck} entitles to serve the resource
     * @throws WaveException UNAVAILABLE when no acceptable reply comes within {@code timeout} (the message
     *     counts the replies ignored and says why) or the broker is away; BAD_ARGUMENT when the proof's
     *     subject is not this client's entity or a field is malformed, or when no device is pinned and the
     *     client has no serving check (nothing is sent)
     */
    public CommandResult send(EntityId namespace, String resource, String command, Map<String, ParamValue> params,
            UnverifiedProof proof, EntityId expectedDevice, Duration timeout) {
        Objects.requireNonNull(proof, "proof");
        CommandBody body = new CommandBody(entity.id(), namespace, resource, command, params, proof.id(),
                Command.newNonce(random), clock.instant());
        Command signed = Command.sign(body, entity, proof);
        return send(signed, expectedDevice, timeout);
    }

    /**
     * Sends {@code command} to {@code resource} in {@code namespace} with a proof of {@code permission}
     * ({@code pset:perm}, e.g. {@code device:actuate}) on that resource from {@code proofs}, and waits for the
     * reply. The proof is kept for later commands to the same resource and permission, and dropped when a
     * device refuses it as expired, revoked or not covering the request, so that the next send gets a
     * fresh one.
     *
     * @throws WaveException NO_PROOF when {@code proofs} has none; otherwise as the send above
     */
    public CommandResult send(EntityId namespace, String resource, String command, Map<String, ParamValue> params,
            String permission, ProofSource proofs, EntityId expectedDevice, Duration timeout) {
        Objects.requireNonNull(proofs, "proofs");
        Policy wanted = Policy.parse(permission + "@" + namespace + "/" + resource);
        String key = wanted.toString();
        UnverifiedProof proof = builtProofs.get(key);
        if (proof == null) {
            proof = proofs.proofFor(entity.id(), List.of(wanted));
            builtProofs.put(key, proof);
        }
        CommandResult r = send(namespace, resource, command, params, proof, expectedDevice, timeout);
        if (STALE_PROOF.contains(r.code())) {
            builtProofs.remove(key);
        }
        return r;
    }

    /**
     * Sends an already signed command (e.g. one a model's decision produced) and waits for the reply, from
     * {@code expectedDevice}, or when that is null from an entity the serving check entitles.
     *
     * @throws WaveException as the send above
     */
    public CommandResult send(Command signed, EntityId expectedDevice, Duration timeout) {
        CommandBody body = signed.body();
        if (expectedDevice == null && serving == null) {
            // Fail closed before anything is sent: an unpinned reply could come from anyone on the broker.
            throw WaveException.badArgument("no way to tell the device from anyone else on the broker: pin the device "
                    + "that must answer (--device ID), or check who may serve " + body.resource() + " (a client "
                    + "with a ServingCheck: a ledger or an agent, where the namespace grants the device "
                    + ServingCheck.SERVE + ")");
        }
        // MQTT 5: replies come to this client's own inbox. MQTT 3.1.1 has no response topics: replies come
        // on the resource's reply topic, shared with other clients, and are matched by command id.
        String inbox = link.hasResponseTopics() ? Topics.inbox(body.namespace(), clientId)
                : Topics.reply(body.namespace(), body.resource());
        if (subscribedInboxes.add(inbox)) {
            link.subscribe(inbox);
        }
        String topic = Topics.command(body.namespace(), body.resource());
        String heldKey = body.namespace() + "/" + body.resource() + "|" + body.proof();
        boolean full = !proofsHeld.contains(heldKey) && signed.proof().isPresent();
        Ignored ignored = new Ignored();
        Pending p = new Pending(expectedDevice, ignored);
        Hash key = signed.id().hash();
        pending.put(key, p);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int attempts = 0;
        try {
            while (true) {
                byte[] payload = full ? signed.encoded() : signed.encodedWithoutProof();
                link.publish(topic, payload, link.hasResponseTopics() ? inbox : null, key.tagged());
                attempts++;
                long resendAt = System.nanoTime() + Math.min(DEFAULT_RESEND.toNanos(), deadline - System.nanoTime());
                Reply reply = null;
                while (reply == null) {
                    Object next = p.replies.poll(Math.max(resendAt - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (next == CLOSED) {
                        throw new WaveException(ErrorCode.UNAVAILABLE, "the client was closed while waiting for a reply");
                    }
                    Reply r = (Reply) next;
                    if (expectedDevice != null || entitled(r.device(), body, ignored)) {
                        reply = r;
                    }
                }
                if (reply == null) {
                    if (System.nanoTime() >= deadline) {
                        throw new WaveException(ErrorCode.UNAVAILABLE, "no reply to " + body.command() + " on "
                                + body.resource() + " within " + timeout.toMillis() + " ms (sent " + attempts
                                + " time" + (attempts == 1 ? "" : "s") + ")" + ignored.describe(body.namespace(),
                                        body.resource()));
                    }
                    continue;
                }
                ReplyCode code = ReplyCode.parse(reply.body().code());
                if (code == ReplyCode.PROOF_REQUIRED && !full && signed.proof().isPresent()) {
                    proofsHeld.remove(heldKey);
                    full = true;
                    // Answers to the elided copy are moot now: only the one with the proof counts.
                    Pending again = new Pending(expectedDevice, ignored);
                    pending.put(key, again);
                    p = again;
                    continue;
                }
                if (code == ReplyCode.OK && full) {
                    proofsHeld.add(heldKey);
                }
                return new CommandResult(signed.id(), code, reply, Duration.ofNanos(System.nanoTime() - start), attempts);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaveException(ErrorCode.UNAVAILABLE, "interrupted while waiting for a reply");
        } finally {
            pending.remove(key);
        }
    }

    /**
     * Whether {@code device} may answer for the command's resource: from the cache while its answer is
     * fresh, else from the serving check. Anything but a positive answer (a refusal, an error, a check
     * that throws) is not entitled, and is remembered for this command only.
     */
    private boolean entitled(EntityId device, CommandBody body, Ignored ignored) {
        ServingKey key = new ServingKey(device, body.namespace(), body.resource());
        Instant now = clock.instant();
        Instant until = entitled.get(key);
        if (until != null && now.isBefore(until)) {
            return true;
        }
        if (ignored.known(device)) {
            return false;
        }
        String why;
        try {
            ServingCheck.Entitlement e = serving.check(device, body.namespace(), body.resource());
            if (e != null && e.entitled() && now.isBefore(e.until())) {
                Instant ttl = now.plus(servingTtl);
                entitled.put(key, e.until().isBefore(ttl) ? e.until() : ttl);
                return true;
            }
            why = e == null ? "the serving check gave no answer" : e.entitled() ? "its proof ended at " + e.until()
                    : e.detail();
        } catch (WaveException e) {
            why = "cannot tell (" + e.code() + ": " + e.getMessage() + ")";
        } catch (RuntimeException e) {
            why = "cannot tell (" + e + ")";
        }
        ignored.refuse(device, why);
        return false;
    }

    /** The MQTT version this client speaks with its broker: 5, or 4 for 3.1.1. */
    public int mqttVersion() {
        return link.version();
    }

    /**
     * Forgets which devices hold which proofs (the next command to each sends its proof in full) and the
     * proofs a {@link ProofSource} gave (the next send asks it again).
     */
    public void forgetHeldProofs() {
        proofsHeld.clear();
        builtProofs.clear();
    }

    /** Forgets which devices were found entitled to serve which resources: the next reply of each is checked again. */
    public void forgetServingChecks() {
        entitled.clear();
    }

    private void receive(String topic, byte[] payload, String responseTopic, byte[] correlation) {
        UnverifiedReply u;
        try {
            u = UnverifiedReply.decode(payload);
        } catch (WaveException e) {
            return; // Not a reply: nothing on this topic is trusted before it verifies.
        }
        Pending p = pending.get(u.inReplyTo());
        if (p == null) {
            return; // Not ours, or late.
        }
        EntityId device = u.deviceEntity().id();
        if (p.expectedDevice != null ? !p.expectedDevice.equals(device) : p.ignored.known(device)) {
            return;
        }
        try {
            Entity e = devices.get(device);
            if (e == null) {
                e = u.deviceEntity().verify();
                devices.put(device, e);
            }
            // Who may answer is judged by the sender, off this thread: a check may need the ledger. A full
            // queue drops the reply; a device answers the next resend with the same reply again.
            p.replies.offer(u.verify(e));
        } catch (WaveException forged) {
            // A reply that does not verify is dropped; the real one may still come.
        }
    }

    /** Whether the held proof for {@code resource} would be elided on the next send. */
    boolean holds(EntityId namespace, String resource, ProofId proof) {
        return proofsHeld.contains(namespace + "/" + resource + "|" + proof);
    }

    @Override
    public void close() {
        link.close();
        pending.values().forEach(p -> {
            p.replies.clear();
            p.replies.offer(CLOSED);
        });
    }
}
