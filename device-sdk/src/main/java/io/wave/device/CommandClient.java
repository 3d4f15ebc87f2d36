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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * <p>Which device answered is in the result; pass the expected device id to {@link #send} to accept
 * replies from that entity only (anyone who may publish to the client's inbox could otherwise answer).
 */
public final class CommandClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RESEND = Duration.ofSeconds(2);
    /** Device entities whose self-signature was checked, kept by id: a client talks to few devices. */
    static final int DEVICE_CACHE = 1024;
    /** Proofs from a {@link ProofSource}, kept by policy: a client sends to few resources. */
    static final int PROOF_CACHE = 1024;
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

    private static final class Pending {
        final CompletableFuture<Reply> future = new CompletableFuture<>();
        final EntityId expectedDevice;

        Pending(EntityId expectedDevice) {
            this.expectedDevice = expectedDevice;
        }
    }

    private CommandClient(EntitySecret entity, BrokerAddress broker, Clock clock, SecureRandom random,
            Duration connectTimeout) {
        this.entity = Objects.requireNonNull(entity, "entity");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        byte[] suffix = new byte[6];
        random.nextBytes(suffix);
        this.clientId = "wave-client-" + java.util.HexFormat.of().formatHex(suffix);
        this.link = MqttLink.connect(broker, clientId, false, Limits.MAX_REPLY_BYTES + 1024L, connectTimeout,
                this::receive, List.of());
    }

    /**
     * Connects to {@code broker} as {@code entity}.
     *
     * @throws WaveException UNAVAILABLE when the broker cannot be reached
     */
    public static CommandClient connect(EntitySecret entity, BrokerAddress broker, Clock clock, SecureRandom random) {
        return new CommandClient(entity, broker, clock, random, DeviceAgent.DEFAULT_CONNECT_TIMEOUT);
    }

    /** The sender's entity id. */
    public EntityId id() {
        return entity.id();
    }

    /**
     * Sends {@code command} with {@code params} to {@code resource} in {@code namespace} under {@code proof}
     * and waits for the reply.
     *
     * @param expectedDevice the device that must answer, or null to take the first validly signed reply
     * @throws WaveException UNAVAILABLE when no reply comes within {@code timeout} or the broker is away;
     *     BAD_ARGUMENT when the proof's subject is not this client's entity or a field is malformed
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

    /** Sends an already signed command (e.g. one a model's decision produced) and waits for the reply. */
    public CommandResult send(Command signed, EntityId expectedDevice, Duration timeout) {
        CommandBody body = signed.body();
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
        Pending p = new Pending(expectedDevice);
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
                long wait = Math.min(DEFAULT_RESEND.toNanos(), deadline - System.nanoTime());
                Reply reply;
                try {
                    reply = p.future.get(Math.max(wait, 0), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (System.nanoTime() >= deadline) {
                        throw new WaveException(ErrorCode.UNAVAILABLE, "no reply to " + body.command() + " on "
                                + body.resource() + " within " + timeout.toMillis() + " ms (sent " + attempts
                                + " time" + (attempts == 1 ? "" : "s") + ")");
                    }
                    continue;
                }
                ReplyCode code = ReplyCode.parse(reply.body().code());
                if (code == ReplyCode.PROOF_REQUIRED && !full && signed.proof().isPresent()) {
                    proofsHeld.remove(heldKey);
                    full = true;
                    Pending again = new Pending(expectedDevice);
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
        } catch (ExecutionException e) {
            throw new IllegalStateException("reply future failed", e.getCause());
        } finally {
            pending.remove(key);
        }
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
        if (p.expectedDevice != null && !p.expectedDevice.equals(device)) {
            return;
        }
        try {
            Entity e = devices.get(device);
            if (e == null) {
                e = u.deviceEntity().verify();
                devices.put(device, e);
            }
            p.future.complete(u.verify(e));
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
        pending.values().forEach(p -> p.future.cancel(false));
    }
}
