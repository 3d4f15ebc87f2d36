package io.wave.testnet.story;

import io.wave.crypto.Validity;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Revocation;
import io.wave.ledger.Ledger;
import io.wave.ledger.Ledgers;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.ethereum.DevNode;
import io.wave.ledger.ethereum.KeySource;
import io.wave.testnet.Testnet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The acceptance DSL's world: a running {@link Testnet} and the people in the story, by name. Everyone
 * reaches the network the way a user's process would: through the ledger's URI (a ledger server, or the
 * chain) and the broker's address, never through the testnet's own objects. Stories read like this:
 *
 * <pre>{@code
 * try (Network net = Network.start(Backend.EMBEDDED)) {
 *     Actor manager = net.entity("manager"), contractor = net.entity("contractor");
 *     net.owner().grants(manager).permissions("device:actuate").on("building1/*").redelegable(1).publish();
 *     Grant slice = manager.grants(contractor).permissions("device:actuate").on("building1/floor1/+/setpoint")
 *             .caveat("setpoint in [18,26]").validFor(Duration.ofHours(12)).publish();
 *     contractor.sends("thermostat-1", "set").with("setpoint", 21.5).shouldAccept();
 *     contractor.sends("thermostat-1", "set").with("setpoint", 30).shouldRefuse(ReplyCode.CAVEAT_VIOLATED);
 *     manager.revokes(slice);
 *     contractor.sends("thermostat-1", "set").with("setpoint", 22).shouldEventuallyBeRefused(ReplyCode.REVOKED);
 * }
 * }</pre>
 *
 * Failures are {@link AssertionError}s that say what was sent and what came back. Conditions are awaited
 * with timeouts ({@link #await}); nothing in a story sleeps.
 */
public final class Network implements AutoCloseable {
    /** How long a command waits for its reply. */
    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long a story waits for something the network does eventually (a revocation read, a grant running
     * out): generous, so that only a hang reaches it, never a busy machine.
     */
    public static final Duration PATIENCE = Duration.ofSeconds(120);

    private final Backend backend;
    private final Testnet net;
    private final Ledger ledger;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Path home;
    private final Map<String, Actor> actors = new LinkedHashMap<>();
    private final Actor owner;

    private Network(Backend backend, Testnet net, Clock clock, Path home) {
        this.backend = backend;
        this.net = net;
        this.clock = clock;
        this.home = home;
        KeySource key = backend == Backend.MOSQUITTO_GANACHE ? KeySource.of(DevNode.account(1)) : KeySource.none();
        this.ledger = Ledgers.open(net.ledgerUri(), home, clock, key);
        this.owner = new Actor(this, "owner", net.owner());
        actors.put("owner", owner);
    }

    /** Starts a network on the embedded defaults' kind of backend: {@link Backend#EMBEDDED} needs nothing more. */
    public static Network start(Backend backend) {
        return start(backend, null);
    }

    /**
     * Starts a network on {@code backend}. For {@link Backend#MOSQUITTO_GANACHE}, {@code ethDir} is the
     * checkout's {@code wave-ledger/eth} (where the build installs ganache).
     */
    public static Network start(Backend backend, Path ethDir) {
        Clock clock = Clock.systemUTC();
        Testnet t = Testnet.start(c -> {
            c.ledger = backend == Backend.MOSQUITTO_GANACHE ? Testnet.LedgerKind.ETHEREUM : Testnet.LedgerKind.SERVER;
            c.broker = backend == Backend.MOSQUITTO_GANACHE ? "mosquitto" : "embedded";
            c.ethDir = ethDir;
            c.agent = false;
            c.clock = clock;
        });
        try {
            return new Network(backend, t, clock, Files.createTempDirectory("wave-story-"));
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    public Backend backend() {
        return backend;
    }

    /** The testnet under the story (its devices' simulations, ports, files). */
    public Testnet testnet() {
        return net;
    }

    /** The namespace owner: the root of every grant on the building. */
    public Actor owner() {
        return owner;
    }

    /** The entity called {@code name} in this story: made and published on first mention. */
    public synchronized Actor entity(String name) {
        Actor a = actors.get(name);
        if (a == null) {
            long now = clock.instant().getEpochSecond();
            EntitySecret e = EntitySecret.create(random, Validity.ofSeconds(now - 60, now + 30L * 86_400));
            ledger.publish(ObjectKind.ENTITY, e.entity().encoded());
            a = new Actor(this, name, e);
            actors.put(name, a);
        }
        return a;
    }

    /**
     * Starts a new scene on the same network: the names said so far are forgotten (their clients closed),
     * so the next story's "contractor" is someone new. The owner and the devices stay.
     */
    public synchronized void newScene() {
        for (Actor a : actors.values()) {
            a.closeClient();
        }
        actors.clear();
        actors.put("owner", owner);
        owner.forgetsProofs();
    }

    /**
     * Waits until {@code condition} holds, checking it every 20 ms, for at most {@code timeout}; returns
     * how long that took.
     *
     * @throws AssertionError naming {@code what} when it did not hold in time
     */
    public static Duration await(String what, Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public synchronized void close() {
        for (Actor a : actors.values()) {
            a.closeClient();
        }
        ledger.close();
        net.close();
        try (java.util.stream.Stream<Path> s = Files.walk(home)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // scratch space only
        }
    }

    // ---------------------------------------------------------------- for Actor and Grant

    Ledger ledger() {
        return ledger;
    }

    Clock clock() {
        return clock;
    }

    SecureRandom random() {
        return random;
    }

    void revoke(Revocation r) {
        ledger.publish(ObjectKind.REVOCATION, r.encode());
    }

    @Override
    public String toString() {
        return "network on " + backend + " (" + net + ")";
    }
}
