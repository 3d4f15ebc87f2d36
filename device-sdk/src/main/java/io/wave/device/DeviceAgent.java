package io.wave.device;

import io.wave.crypto.CommandId;
import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.objects.PermissionSetRef;
import io.wave.crypto.objects.Reply;
import io.wave.crypto.objects.ReplyBody;
import io.wave.crypto.objects.UnverifiedCommand;
import io.wave.device.internal.MqttLink;
import io.wave.ledger.Ledger;
import io.wave.policy.GrantCache;
import io.wave.policy.Policy;
import io.wave.policy.ProofVerifier;
import io.wave.policy.ResourcePattern;
import io.wave.policy.RevocationView;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a gateway embeds so that its devices obey only proven commands. It subscribes to
 * {@code wave/NS/RESOURCE/cmd} for every resource it serves, passes every message through a
 * {@link CommandGate}, runs the handler only for accepted commands, and publishes a reply signed by the
 * device's entity for everything (a refusal carries the reason code and has no side effect).
 *
 * <pre>{@code
 * DeviceAgent agent = DeviceAgent.builder()
 *         .entity(deviceSecret).namespace(ns).broker("tcp://127.0.0.1:1883").ledger(ledger)
 *         .stateDirectory(Path.of("/var/lib/gateway/wave"))
 *         .on("building1/floor2/hvac/setpoint", "set", "device:actuate", inv -> thermostat.set(inv))
 *         .start();
 * ...
 * agent.close();
 * }</pre>
 *
 * <p>The ledger is followed for revocations ({@link RevocationFollower}): a revoked grant or entity stops
 * working on the next command, on connections that stay open. Everything is bounded: payload size
 * (also announced to the broker as the MQTT 5 maximum packet size), proof size and depth (by the
 * decoder), held proofs, remembered nonces and replies, handler threads and their queue (beyond which
 * commands are refused {@code BUSY}).
 *
 * <p>A command runs at most once, also across restarts: the nonces of checked commands are kept in a
 * journal in the {@linkplain Builder#stateDirectory state directory} (or, with
 * {@linkplain Builder#volatileState volatile state}, commands signed before the start plus the freshness
 * window are refused). Replies are remembered in memory only: after a restart, a duplicate of a command
 * that ran is refused {@code REPLAY} rather than answered with its first reply. A retained message on a
 * command topic is never executed (see {@link #retainedDropped()}).
 */
public final class DeviceAgent implements AutoCloseable {
    /** Two handler threads: a device on a small gateway shares its cores with the gate and the broker link. */
    public static final int DEFAULT_HANDLER_THREADS = 2;
    /** Commands waiting for a handler beyond which new ones are refused BUSY. */
    public static final int DEFAULT_QUEUE = 1024;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Correlation data echoed on an MQTT 5 reply at most: a client's own tag (CommandClient's is the command id, 33 bytes);
     * longer data is not echoed, so a sender cannot make replies grow.
     */
    public static final int MAX_CORRELATION_BYTES = 64;

    private final EntitySecret entity;
    private final CommandGate gate;
    private final MqttLink link;
    private final ThreadPoolExecutor workers;
    private final RevocationFollower follower;
    private final Clock clock;
    private final Map<ReplyCode, LongAdder> counts = new EnumMap<>(ReplyCode.class);
    private final LongAdder repeated = new LongAdder();
    private final LongAdder retainedDropped = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final java.util.function.Consumer<Served> observer;

    private DeviceAgent(Builder b, CommandGate gate, RevocationFollower follower) {
        this.entity = b.entity;
        this.gate = gate;
        this.follower = follower;
        this.clock = b.clock;
        this.observer = b.observer;
        for (ReplyCode c : ReplyCode.values()) {
            counts.put(c, new LongAdder());
        }
        this.workers = new ThreadPoolExecutor(b.handlerThreads, b.handlerThreads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(b.queue), r -> {
                    Thread t = new Thread(r, "wave-device-" + b.entity.id().toString().substring(0, 8));
                    t.setDaemon(true);
                    return t;
                });
        List<String> topics = new ArrayList<>();
        for (String resource : new TreeSet<>(gate.resources())) {
            topics.add(Topics.command(gate.namespace(), resource));
        }
        String clientId = b.clientId != null ? b.clientId : "wave-device-" + b.entity.id().toString().substring(0, 16);
        MqttLink l;
        try {
            l = MqttLink.connect(b.broker, clientId, true, Limits.MAX_COMMAND_BYTES + 1024L, b.connectTimeout,
                    new Inbox(), topics);
        } catch (RuntimeException e) {
            workers.shutdownNow();
            if (follower != null) {
                follower.close();
            }
            throw e;
        }
        this.link = l;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Takes deliveries from the link, keeping retained copies from reaching the gate. */
    private final class Inbox implements MqttLink.Receiver {
        @Override
        public void receive(String topic, byte[] payload, String responseTopic, byte[] correlation) {
            receive(topic, payload, responseTopic, correlation, false);
        }

        @Override
        public void receive(String topic, byte[] payload, String responseTopic, byte[] correlation, boolean retained) {
            if (retained) {
                // A copy from the broker's store, sent at every (re)subscription: never a live command, so it
                // never runs. No reply either: one per reconnection would be noise, and nobody is waiting.
                retainedDropped.increment();
                return;
            }
            DeviceAgent.this.receive(topic, payload, responseTopic, correlation);
        }
    }

    private void receive(String topic, byte[] payload, String responseTopic, byte[] correlation) {
        try {
            workers.execute(() -> serve(topic, payload, responseTopic, correlation));
        } catch (RejectedExecutionException e) {
            if (workers.isShutdown()) {
                return;
            }
            Hash about;
            try {
                about = UnverifiedCommand.decode(payload).id().hash();
            } catch (WaveException notACommand) {
                about = UnverifiedCommand.payloadId(payload);
            }
            send(topic, responseTopic, correlation, sign(about, ReplyCode.BUSY, "all " + workers.getMaximumPoolSize()
                    + " handler slots and " + (workers.getQueue().size() + workers.getQueue().remainingCapacity())
                    + " queue places are taken; retry later", Map.of()));
            counts.get(ReplyCode.BUSY).increment();
        }
    }

    private void serve(String topic, byte[] payload, String responseTopic, byte[] correlation) {
        CommandGate.Decision d = gate.check(payload);
        if (d instanceof CommandGate.Repeat r) {
            repeated.increment();
            if (r.reply() != null) {
                send(topic, responseTopic, correlation, r.reply());
            }
            return;
        }
        if (d instanceof CommandGate.Refuse f) {
            byte[] reply = sign(f.inReplyTo(), f.code(), f.detail(), Map.of());
            if (f.remember()) {
                gate.complete(new CommandId(f.inReplyTo()), reply);
            }
            counts.get(f.code()).increment();
            send(topic, responseTopic, correlation, reply);
            observe(f.code(), payload, f.detail());
            return;
        }
        CommandGate.Accept a = (CommandGate.Accept) d;
        byte[] reply;
        ReplyCode code;
        String detail;
        try {
            HandlerResult result = a.route().handler().handle(new Invocation(a.id(), a.body(), a.verdict()));
            code = ReplyCode.OK;
            detail = result.detail();
            reply = sign(a.id().hash(), code, detail, result.results());
        } catch (Exception | LinkageError e) {
            code = ReplyCode.HANDLER_ERROR;
            detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            try {
                reply = sign(a.id().hash(), code, detail, Map.of());
            } catch (WaveException bad) {
                gate.abandon(a.id());
                throw bad;
            }
        }
        gate.complete(a.id(), reply);
        counts.get(code).increment();
        send(topic, responseTopic, correlation, reply);
        if (observer != null) {
            observer.accept(new Served(code, a.body().sender(), a.body().resource(), a.body().command(), detail));
        }
    }

    private void observe(ReplyCode code, byte[] payload, String detail) {
        if (observer == null) {
            return;
        }
        try {
            io.wave.crypto.objects.CommandBody c = UnverifiedCommand.decode(payload).claimedBody();
            observer.accept(new Served(code, c.sender(), c.resource(), c.command(), detail));
        } catch (WaveException e) {
            observer.accept(new Served(code, null, null, null, detail));
        }
    }

    private byte[] sign(Hash about, ReplyCode code, String detail, Map<String, io.wave.crypto.objects.ParamValue> results) {
        return Reply.sign(new ReplyBody(entity.id(), about, code.name(), ReplyBody.clip(detail), results,
                clock.instant()), entity).encoded();
    }

    private void send(String commandTopic, String responseTopic, byte[] correlation, byte[] reply) {
        String prefix = Topics.ROOT + "/" + gate.namespace() + "/" + Topics.INBOX + "/";
        String to;
        if (responseTopic != null && responseTopic.startsWith(prefix) && responseTopic.length() > prefix.length()
                && responseTopic.indexOf('/', prefix.length()) < 0 && responseTopic.indexOf('#') < 0
                && responseTopic.indexOf('+') < 0) {
            to = responseTopic;
            if (correlation != null && correlation.length > MAX_CORRELATION_BYTES) {
                correlation = null;
            }
        } else {
            // No (acceptable) response topic: the resource's reply topic. A sender cannot make the device
            // publish anywhere outside its namespace's inboxes.
            to = commandTopic.substring(0, commandTopic.length() - Topics.COMMAND.length()) + Topics.REPLY;
            correlation = null;
        }
        try {
            // MQTT 5 request/response: the requester's correlation data comes back with the answer.
            link.publish(to, reply, null, correlation);
        } catch (WaveException e) {
            publishFailures.increment();
        }
    }

    /** The device's entity id. */
    public EntityId id() {
        return entity.id();
    }

    public EntityId namespace() {
        return gate.namespace();
    }

    /** How many replies of each code this agent has signed (duplicates answered from the cache not counted: see {@link #repeated()}). */
    public Map<ReplyCode, Long> counts() {
        Map<ReplyCode, Long> out = new EnumMap<>(ReplyCode.class);
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Duplicate deliveries answered from the reply cache (or dropped while their first was running). */
    public long repeated() {
        return repeated.sum();
    }

    /**
     * Retained messages dropped unread: copies the broker keeps on a command topic and sends again at every
     * (re)subscription. A device never executes or answers one; a sender that publishes commands with the
     * RETAIN flag sees them run only when delivered live.
     */
    public long retainedDropped() {
        return retainedDropped.sum();
    }

    /**
     * The instant before which commands are refused as {@code STALE} because this device does not remember
     * what it checked before it started (volatile state, or a journal that was missing or unreadable at a
     * start); empty when it has always remembered. Once the clock is a freshness window past it, it refuses
     * nothing that freshness alone would not.
     */
    public java.util.Optional<Instant> refusesSignedBefore() {
        long floor = gate.restartFloor();
        return floor == Long.MIN_VALUE ? java.util.Optional.empty() : java.util.Optional.of(Instant.ofEpochMilli(floor));
    }

    /** Replies that could not be published (broker away past the wait). */
    public long publishFailures() {
        return publishFailures.sum();
    }

    /** The revocation follower, when the agent follows a ledger. */
    public RevocationFollower follower() {
        return follower;
    }

    public boolean isConnected() {
        return link.isConnected();
    }

    /** The MQTT version this agent speaks with its broker: 5, or 4 for 3.1.1. */
    public int mqttVersion() {
        return link.version();
    }

    /** Stops taking commands, lets running handlers finish (up to five seconds), disconnects. */
    @Override
    public void close() {
        link.close();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        gate.close();
        if (follower != null) {
            follower.close();
        }
    }

    /**
     * Creates the empty nonce journal, in {@code stateDirectory}, of a device entity that has never served
     * (one just created): no command can have run under it, so its first start need not refuse, for one
     * freshness window, commands that might have (see {@link Builder#stateDirectory}). Call it once, where
     * the device's identity is made, never on every start.
     *
     * @throws WaveException BAD_ARGUMENT when the device already has a journal there; UNAVAILABLE when a
     *     running agent holds it; IO_ERROR when it cannot be written
     */
    public static void provisionState(Path stateDirectory, EntityId device) {
        NonceJournal.create(stateDirectory, Objects.requireNonNull(device, "device"));
    }

    /** Builds and starts a {@link DeviceAgent}. */
    public static final class Builder {
        private EntitySecret entity;
        private EntityId namespace;
        private BrokerAddress broker;
        private Ledger ledger;
        private RevocationView revocations;
        private Clock clock = Clock.systemUTC();
        private Duration freshness = CommandGate.DEFAULT_FRESHNESS;
        private Duration poll = RevocationFollower.DEFAULT_POLL;
        private Duration staleness = RevocationFollower.DEFAULT_STALENESS;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int handlerThreads = DEFAULT_HANDLER_THREADS;
        private int queue = DEFAULT_QUEUE;
        private String clientId;
        private boolean verify = true;
        private java.util.function.Consumer<Served> observer;
        private Path stateDirectory;
        private boolean volatileState;
        private final List<Pending> routes = new ArrayList<>();

        private record Pending(String resource, String command, String permission, CommandHandler handler) {}

        private Builder() {}

        /** The device's own entity: it signs every reply. */
        public Builder entity(EntitySecret e) {
            this.entity = Objects.requireNonNull(e, "entity");
            return this;
        }

        public Builder namespace(EntityId ns) {
            this.namespace = Objects.requireNonNull(ns, "namespace");
            return this;
        }

        public Builder broker(BrokerAddress b) {
            this.broker = Objects.requireNonNull(b, "broker");
            return this;
        }

        public Builder broker(String uri) {
            return broker(BrokerAddress.parse(uri));
        }

        /** The ledger to follow for revocations. */
        public Builder ledger(Ledger l) {
            this.ledger = Objects.requireNonNull(l, "ledger");
            return this;
        }

        /** A revocation view of the caller's instead of following a ledger. */
        public Builder revocations(RevocationView v) {
            this.revocations = Objects.requireNonNull(v, "revocations");
            return this;
        }

        /**
         * Serves {@code command} on {@code resource} for senders whose proof grants {@code permission}
         * ({@code PSET:PERM[,PERM...]}, e.g. {@code device:actuate}) on it in this namespace.
         */
        public Builder on(String resource, String command, String permission, CommandHandler handler) {
            routes.add(new Pending(resource, command, permission, handler));
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** How far a command's timestamp may be from this device's clock (default 30 s). */
        public Builder freshness(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("freshness must be positive");
            }
            this.freshness = d;
            return this;
        }

        /** How often the ledger is read for revocations (default 200 ms), and after how long without a
         * successful read revocation status counts as unknown (default 10 s). */
        public Builder followEvery(Duration poll, Duration staleness) {
            this.poll = Objects.requireNonNull(poll, "poll");
            this.staleness = Objects.requireNonNull(staleness, "staleness");
            return this;
        }

        /** Handlers that may run at once, and commands that may wait for one. */
        public Builder concurrency(int threads, int queued) {
            if (threads < 1 || queued < 1) {
                throw new IllegalArgumentException("threads and queue must be positive");
            }
            this.handlerThreads = threads;
            this.queue = queued;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Objects.requireNonNull(d, "timeout");
            return this;
        }

        /** Called, on a handler thread, after each reply is sent: for logs and monitors. Keep it quick. */
        public Builder observer(java.util.function.Consumer<Served> o) {
            this.observer = Objects.requireNonNull(o, "observer");
            return this;
        }

        /**
         * Where the device remembers the nonces of the commands it checked, so that none runs again after a
         * restart: the file {@code DIR/ENTITY.nonces} (and its lock, {@code ENTITY.lock}: one running agent
         * per identity). Each nonce is written (no fsync) before its command can run, so it survives the
         * process stopping or crashing; an OS crash may lose the last few. When the journal is missing or
         * cannot be read at start, the device's memory is lost, and it refuses, as {@code STALE}, every
         * command signed before its start plus the freshness window (one of those may have run already):
         * a new device's journal is made by {@link DeviceAgent#provisionState} so its first start takes
         * commands at once. This or {@link #volatileState()} is required.
         */
        public Builder stateDirectory(Path dir) {
            this.stateDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Remembers nonces in memory only. The device then cannot tell a command it ran before a restart
         * from a new one, so it refuses, as {@code STALE}, every command signed before its start plus the
         * freshness window: it is unusable for one window (30 s by default) after each start. For devices
         * that are one-shot by nature; {@link #stateDirectory} is the normal case.
         */
        public Builder volatileState() {
            this.volatileState = true;
            return this;
        }

        /** The MQTT client id (default: derived from the device's entity id). */
        public Builder clientId(String id) {
            this.clientId = Objects.requireNonNull(id, "clientId");
            return this;
        }

        /**
         * Skips every check: signature, freshness, replay, proof, revocation, caveats. Only for measuring
         * what the checks cost against the same device without them ({@code wave bench device}); a device
         * built this way obeys anyone.
         */
        public Builder unverifiedForBenchmark() {
            this.verify = false;
            return this;
        }

        /**
         * Connects, subscribes and starts serving.
         *
         * @throws WaveException UNAVAILABLE when the broker cannot be reached; BAD_ARGUMENT for a route
         *     whose permission or resource is not of the documented form
         * @throws WaveException UNAVAILABLE also when another agent holds the state directory's journal for
         *     this entity; IO_ERROR when the journal cannot be written
         * @throws IllegalStateException when entity, namespace, broker, routes or a revocation source is
         *     missing, or neither (or both) of a state directory and volatile state was chosen
         */
        public DeviceAgent start() {
            if (entity == null || namespace == null || broker == null || routes.isEmpty()) {
                throw new IllegalStateException("a device agent needs an entity, a namespace, a broker and a route");
            }
            if (ledger == null && revocations == null) {
                throw new IllegalStateException("a device agent needs a ledger to follow for revocations, "
                        + "or an explicit revocation view");
            }
            if ((stateDirectory == null) == !volatileState) {
                throw new IllegalStateException(stateDirectory == null
                        ? "a device agent needs .stateDirectory(dir), where it remembers the nonces of the commands "
                                + "it checked across restarts, or .volatileState(), which refuses commands signed "
                                + "before its start plus the freshness window"
                        : "choose one of .stateDirectory(dir) and .volatileState(), not both");
            }
            List<CommandGate.Route> rs = new ArrayList<>();
            for (Pending p : routes) {
                rs.add(new CommandGate.Route(p.resource, p.command, policy(namespace, p.permission, p.resource), p.handler));
            }
            ReplayGuard nonces = nonces();
            RevocationFollower follower = null;
            CommandGate gate = null;
            try {
                RevocationView view = revocations;
                if (view == null) {
                    follower = RevocationFollower.start(ledger, clock, poll, staleness);
                    view = follower;
                }
                ProofVerifier verifier = ProofVerifier.create(clock, view)
                        .withCache(new GrantCache(GrantCache.DEFAULT_CAPACITY));
                gate = new CommandGate(namespace, rs, verifier, clock, freshness, CommandGate.DEFAULT_PROOF_CACHE,
                        ReplyCache.DEFAULT_CAPACITY, verify, nonces);
                return new DeviceAgent(this, gate, follower);
            } catch (RuntimeException e) {
                if (follower != null) {
                    follower.close();
                }
                nonces.close();
                throw e;
            }
        }

        private ReplayGuard nonces() {
            Instant start = clock.instant();
            if (volatileState) {
                return ReplayGuard.volatileFrom(freshness.toMillis(), CommandGate.DEFAULT_NONCE_CAPACITY, start);
            }
            NonceJournal journal = NonceJournal.open(stateDirectory, entity.id(), start.toEpochMilli());
            try {
                return ReplayGuard.restore(freshness.toMillis(), CommandGate.DEFAULT_NONCE_CAPACITY, journal, start);
            } catch (RuntimeException e) {
                journal.close();
                throw e;
            }
        }
    }

    /** The policy a route requires: {@code PSET:PERM[,PERM...]} on exactly {@code resource}. */
    static Policy policy(EntityId namespace, String permission, String resource) {
        int colon = permission == null ? -1 : permission.indexOf(':');
        if (colon <= 0 || colon == permission.length() - 1) {
            throw WaveException.badArgument("permission '" + permission + "' is not PSET:PERM[,PERM...]");
        }
        try {
            TreeSet<String> perms = new TreeSet<>(List.of(permission.substring(colon + 1).split(",")));
            ResourcePattern r = ResourcePattern.parse(resource);
            if (!r.isConcrete()) {
                throw WaveException.badArgument("a device serves concrete resources, not '" + resource + "'");
            }
            return new Policy(namespace, PermissionSetRef.parse(permission.substring(0, colon)), perms, r);
        } catch (WaveException e) {
            throw WaveException.badArgument("route " + permission + " on " + resource + ": " + e.getMessage());
        }
    }
}
