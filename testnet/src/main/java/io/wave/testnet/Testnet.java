package io.wave.testnet;

import io.wave.agent.daemon.Agent;
import io.wave.agent.files.EntityFiles;
import io.wave.agent.files.WaveFiles;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.EntitySecret;
import io.wave.device.BrokerAddress;
import io.wave.device.DeviceAgent;
import io.wave.device.broker.Broker;
import io.wave.device.broker.EmbeddedBroker;
import io.wave.device.broker.MosquittoBroker;
import io.wave.device.sim.Light;
import io.wave.device.sim.MotionSensor;
import io.wave.device.sim.Thermostat;
import io.wave.ledger.Ledger;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.ethereum.DevNode;
import io.wave.ledger.ethereum.EthereumConfig;
import io.wave.ledger.ethereum.EthereumLedger;
import io.wave.ledger.ethereum.EthereumRegistry;
import io.wave.ledger.ethereum.KeySource;
import io.wave.ledger.server.LedgerServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A whole local network in one process, on loopback: a ledger (an embedded ledger behind a ledger server,
 * or a ganache node with the registry contract deployed), an MQTT broker (embedded, a Mosquitto started
 * here, or one given), an agent, and a small building of simulated devices (two thermostats, two lights,
 * a motion sensor) under one namespace, each device its own entity behind its own {@link DeviceAgent},
 * granted {@code device:serve} on its resource by the namespace owner.
 *
 * <p>Everything a user needs to drive it from the CLI goes in its directory: the namespace owner's and a
 * spare user's entity files (in the clear: these are throwaway keys on a local network), the agent's
 * passphrase and API token, and, on a chain, the funded development account's key. {@link #close()}
 * stops everything it started, in the reverse order, and frees every port.
 */
public final class Testnet implements AutoCloseable {
    /** Which ledger the network runs. */
    public enum LedgerKind {
        /** An embedded ledger (RocksDB) in the network's directory, served over HTTP by a ledger server. */
        SERVER,
        /** A ganache node started from the build's npm install, with the registry contract deployed. */
        ETHEREUM
    }

    /** How the network starts; every field has a default that works with no setup. */
    public static final class Config {
        /** Where its files go; null: a scratch directory removed by {@link #close()}. */
        public Path dir;
        public LedgerKind ledger = LedgerKind.SERVER;
        /** {@code embedded} (default), {@code mosquitto}, or the URI of a running broker. */
        public String broker = "embedded";
        /** {@code wave-ledger/eth} of a checkout (where ganache is installed); needed for {@link LedgerKind#ETHEREUM}. */
        public Path ethDir;
        /** Start the agent daemon too. */
        public boolean agent = true;
        public Clock clock = Clock.systemUTC();
        public SecureRandom random = new SecureRandom();
        /** Where progress lines go while it starts. */
        public Consumer<String> progress = s -> { };

        private Config() {}
    }

    /** One simulated device: its name, kind, resource (under the namespace), entity and routes. */
    public record Device(String name, String kind, String resource, EntityId id, List<String> commands) {}

    private static final Duration FOLLOW = Duration.ofMillis(100);

    private final Config config;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<Device> devices = new ArrayList<>();
    private final Map<String, Object> simulated = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Path> files = new LinkedHashMap<>();
    private final boolean scratch;
    private Path dir;
    private Ledger ledger;
    private String ledgerUri;
    private String ethKeyHex;
    private BrokerAddress brokerAddress;
    private String brokerDescription;
    private Agent agent;
    private EntitySecret owner;

    private Testnet(Config config) {
        this.config = config;
        this.scratch = config.dir == null;
    }

    /**
     * Starts a network; on any failure stops what it had started and throws.
     *
     * @throws WaveException NOT_FOUND when a part asked for is not installed (mosquitto, ganache),
     *     UNAVAILABLE when a part does not come up, BAD_ARGUMENT for a broker URI of no known form
     */
    public static Testnet start(Consumer<Config> configure) {
        Config c = new Config();
        configure.accept(c);
        Testnet t = new Testnet(c);
        try {
            t.startAll();
            return t;
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
    }

    private void startAll() {
        dir = config.dir != null ? config.dir.toAbsolutePath() : scratchDir();
        mkdirs(dir.resolve("entities"));
        long now = config.clock.instant().getEpochSecond();
        Validity year = Validity.ofSeconds(now - 60, now + 365L * 86_400);
        owner = entity("owner", year);
        EntitySecret user = entity("you", year);
        files.put("owner", entityFile("owner"));
        files.put("user", entityFile("you"));

        startLedger();
        ledger.publishAll(List.of(new Ledger.Publication(ObjectKind.ENTITY, owner.entity().encoded()),
                new Ledger.Publication(ObjectKind.ENTITY, user.entity().encoded())));
        startBroker();
        if (config.agent) {
            startAgent();
        }
        startDevices(year);
    }

    private void startLedger() {
        if (config.ledger == LedgerKind.SERVER) {
            EmbeddedLedger embedded = EmbeddedLedger.open(dir.resolve("ledger"), config.clock);
            started.push(embedded);
            ledger = embedded;
            LedgerServer server = LedgerServer.create(embedded, c -> {
                c.port = 0;
                c.clock = config.clock;
                // One person at a CLI and a few stories: generous, but still bounded.
                c.publishesPerSecond = 200;
                c.publishBurst = 1_000;
            }).start();
            started.push(server);
            ledgerUri = server.uri().toString();
            ports.put("ledger", server.port());
            config.progress.accept("ledger: " + ledgerUri + " (embedded ledger in " + dir.resolve("ledger") + ", served)");
        } else {
            if (config.ethDir == null) {
                throw WaveException.badArgument("an Ethereum testnet needs wave-ledger/eth (where the build installs "
                        + "ganache); run it through ./wave, or set WAVE_REPO to the checkout");
            }
            if (!Files.isRegularFile(config.ethDir.resolve("node_modules/ganache/dist/node/cli.js"))) {
                config.progress.accept("installing ganache from " + config.ethDir.resolve("package-lock.json")
                        + " (first use: npm ci, under a minute)");
            }
            DevNode node;
            try {
                node = DevNode.start(config.ethDir, mkdirs(dir.resolve("logs")));
            } catch (IllegalStateException e) {
                throw new WaveException(ErrorCode.NOT_FOUND, "cannot start ganache: " + e.getMessage());
            }
            started.push(node);
            ports.put("ethereum", URI.create(node.url()).getPort());
            config.progress.accept("ethereum: " + node.url() + " (ganache 7.9.2, deterministic accounts)");
            var account = DevNode.account(0);
            ethKeyHex = org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(account.getEcKeyPair().getPrivateKey(), 64);
            EthereumConfig eth = EthereumConfig.of(node.url()).withKey(KeySource.of(account))
                    .withPollInterval(Duration.ofMillis(100)).withMaxStaleness(Duration.ofMillis(100));
            String contract = EthereumRegistry.deploy(eth);
            EthereumLedger chain = EthereumLedger.open(eth.withContract(contract));
            started.push(chain);
            ledger = chain;
            ledgerUri = eth.withContract(contract).toUri();
            files.put("eth-key", write(dir.resolve("eth-key"), ethKeyHex + "\n", true));
            config.progress.accept("registry contract: " + contract);
        }
    }

    private void startBroker() {
        String b = config.broker == null ? "embedded" : config.broker;
        Broker broker;
        switch (b) {
            case "embedded" -> broker = EmbeddedBroker.start();
            case "mosquitto" -> broker = MosquittoBroker.start();
            default -> {
                brokerAddress = BrokerAddress.parse(b);
                brokerDescription = "given";
                config.progress.accept("broker: " + brokerAddress.serverUri() + " (given; not started here)");
                return;
            }
        }
        started.push(broker);
        brokerAddress = broker.address();
        brokerDescription = broker.description();
        ports.put("broker", URI.create(brokerAddress.serverUri()).getPort());
        config.progress.accept("broker: " + brokerAddress.serverUri() + " (" + brokerDescription + ")");
    }

    private void startAgent() {
        Path home = mkdirs(dir.resolve("agent"));
        Path passFile = home.resolve("passphrase");
        char[] pass;
        if (Files.isRegularFile(passFile)) { // a kept network: its keystore is sealed under this one
            pass = new String(WaveFiles.read(passFile), java.nio.charset.StandardCharsets.UTF_8).strip().toCharArray();
        } else {
            pass = new char[24];
            for (int i = 0; i < pass.length; i++) {
                pass[i] = (char) ('a' + config.random.nextInt(26));
            }
            write(passFile, new String(pass) + "\n", true);
        }
        files.put("agent-passphrase", passFile);
        agent = Agent.start(c -> {
            c.home = home;
            c.ledger = ledger;
            c.passphrase = pass;
            c.port = 0;
            c.clock = config.clock;
            c.random = config.random;
        });
        started.push(agent);
        ports.put("agent", agent.port());
        files.put("agent-token", agent.tokenFile());
        config.progress.accept("agent: " + agent.uri() + " (API token in " + agent.tokenFile() + ")");
    }

    private void startDevices(Validity validity) {
        Thermostat t1 = new Thermostat(21, 19.5);
        Thermostat t2 = new Thermostat(20, 18);
        Light l1 = new Light();
        Light l2 = new Light();
        MotionSensor motion = new MotionSensor(config.clock);
        device("thermostat-1", "thermostat", "building1/floor1/hvac/setpoint", t1, validity,
                b -> t1.serve(b, "building1/floor1/hvac/setpoint"), List.of("set", "read"));
        device("thermostat-2", "thermostat", "building1/floor2/hvac/setpoint", t2, validity,
                b -> t2.serve(b, "building1/floor2/hvac/setpoint"), List.of("set", "read"));
        device("light-1", "light", "building1/floor1/lights/main", l1, validity,
                b -> l1.serve(b, "building1/floor1/lights/main"), List.of("set", "read"));
        device("light-2", "light", "building1/floor2/lights/main", l2, validity,
                b -> l2.serve(b, "building1/floor2/lights/main"), List.of("set", "read"));
        device("motion-1", "motion sensor", "building1/floor1/motion/hall", motion, validity,
                b -> motion.serve(b, "building1/floor1/motion/hall"), List.of("read"));
        // Someone walks past the hall sensor now and then, so a read has something to say.
        ScheduledExecutorService walker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "testnet-motion");
            th.setDaemon(true);
            return th;
        });
        walker.scheduleWithFixedDelay(motion::motion, 0, 45, TimeUnit.SECONDS);
        started.push(walker::shutdownNow);
    }

    private void device(String name, String kind, String resource, Object sim, Validity validity,
            java.util.function.UnaryOperator<DeviceAgent.Builder> routes, List<String> commands) {
        boolean made = !Files.isRegularFile(entityFile("devices/" + name));
        EntitySecret entity = entity("devices/" + name, validity);
        ledger.publish(ObjectKind.ENTITY, entity.entity().encoded());
        // The owner says which entity serves the resource: a client that pins no device accepts replies
        // only from an entity granted device:serve there.
        ledger.publish(ObjectKind.ATTESTATION, serveGrant(entity, resource, validity).encoded());
        files.put(name, entityFile("devices/" + name));
        // Nonce journals beside the entities: a network started again with --dir remembers what its devices
        // ran. A device made just now has run nothing, so its journal starts empty and it serves at once.
        Path state = dir.resolve("device-state");
        if (made) {
            DeviceAgent.provisionState(state, entity.id());
        }
        DeviceAgent a = routes.apply(DeviceAgent.builder().entity(entity).namespace(owner.id()).broker(brokerAddress)
                .ledger(ledger).clock(config.clock).followEvery(FOLLOW, Duration.ofSeconds(10))
                .clientId("testnet-" + name).stateDirectory(state)).start();
        started.push(a);
        devices.add(new Device(name, kind, resource, entity.id(), List.copyOf(commands)));
        simulated.put(name, sim);
        config.progress.accept("device " + name + ": " + kind + " at " + owner.id() + "/" + resource);
    }

    private io.wave.crypto.objects.Attestation serveGrant(EntitySecret device, String resource, Validity validity) {
        byte[] nonce = io.wave.crypto.objects.Attestation.newNonce(config.random);
        return io.wave.crypto.objects.Attestation.sign(new io.wave.crypto.objects.AttestationBody(owner.id(), device.id(),
                owner.id(), new io.wave.crypto.objects.PermissionSetRef.Builtin("device"), List.of("serve"), resource, 0,
                validity, List.of(), owner.attestationRevocationSecret(nonce).commitment(), nonce, List.of()), owner);
    }

    // ---------------------------------------------------------------- what it started

    /** The network's directory. */
    public Path dir() {
        return dir;
    }

    /** The namespace owner: the root of every grant on this building's devices. */
    public EntitySecret owner() {
        return owner;
    }

    public EntityId namespace() {
        return owner.id();
    }

    /** The ledger the devices and the agent use (the embedded one the server serves, or the chain reader). */
    public Ledger ledger() {
        return ledger;
    }

    /** What a user gives to {@code --ledger}. */
    public String ledgerUri() {
        return ledgerUri;
    }

    /** The funded development account's key (hex) on an Ethereum network; empty otherwise. */
    public Optional<String> ethKey() {
        return Optional.ofNullable(ethKeyHex);
    }

    public BrokerAddress broker() {
        return brokerAddress;
    }

    public String brokerDescription() {
        return brokerDescription;
    }

    /** The agent, when one was started. */
    public Optional<Agent> agent() {
        return Optional.ofNullable(agent);
    }

    public List<Device> devices() {
        return List.copyOf(devices);
    }

    /** A device by name. */
    public Device device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> WaveException.badArgument("no device named '" + name + "'; there are "
                        + devices.stream().map(Device::name).toList()));
    }

    /** The simulation behind a device ({@link Thermostat}, {@link Light} or {@link MotionSensor}). */
    public <T> T simulation(String name, Class<T> type) {
        return type.cast(simulated.get(name));
    }

    /** Loopback ports this network listens on, by part (ledger or ethereum, broker, agent). */
    public Map<String, Integer> ports() {
        return Map.copyOf(ports);
    }

    /** Files a user needs, by role: owner, user, agent-token, agent-passphrase, eth-key, and each device's. */
    public Map<String, Path> files() {
        return java.util.Collections.unmodifiableMap(files);
    }

    /** Stops everything it started, newest first; a part that fails to stop does not keep the others up. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception | Error e) {
                config.progress.accept("stopping " + c + " failed: " + e);
            }
        }
        if (scratch && dir != null) {
            deleteTree(dir);
        }
    }

    // ---------------------------------------------------------------- files

    private Path entityFile(String name) {
        return dir.resolve("entities").resolve(name + ".ent");
    }

    /**
     * The entity called {@code name}: read back from its file when the directory holds one (a network
     * started again with {@code --dir} keeps its namespace, people and devices, and so every grant made
     * on them), else made and written.
     */
    private EntitySecret entity(String name, Validity validity) {
        Path p = entityFile(name);
        if (Files.isRegularFile(p)) {
            return EntityFiles.readSecret(p, () -> {
                throw WaveException.badArgument(p + " is sealed; a testnet's entity files are kept in the clear");
            });
        }
        EntitySecret e = EntitySecret.create(config.random, validity);
        mkdirs(p.getParent());
        write(p, EntityFiles.secretFileText(e, null), true);
        return e;
    }

    private static Path write(Path p, String text, boolean secret) {
        WaveFiles.write(p, text, secret, true);
        return p;
    }

    private static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot create " + p + ": " + e.getMessage());
        }
    }

    private static Path scratchDir() {
        try {
            return Files.createTempDirectory("wave-testnet-");
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "no scratch directory: " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // scratch space only; the OS cleans the temp directory
        }
    }

    @Override
    public String toString() {
        return "testnet " + (dir == null ? "(not started)" : dir) + " " + ports;
    }
}
