package io.wave.agent.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.agent.client.AgentApi;
import io.wave.agent.daemon.internal.AgentCore;
import io.wave.agent.daemon.internal.ApiToken;
import io.wave.agent.daemon.internal.ApiServer;
import io.wave.agent.daemon.internal.Keystore;
import io.wave.agent.daemon.internal.Metrics;
import io.wave.agent.daemon.internal.VerdictCache;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.SecretBox;
import io.wave.ledger.Ledger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The agent daemon: a keystore of the entities it acts for, an index of the grant graph kept current by
 * following the ledger, a cache of verified answers, and the REST API over them (docs/agent.md).
 *
 * <pre>
 * try (Agent agent = Agent.start(c -> { c.home = home; c.ledger = ledger; c.passphrase = pass; })) { ... }
 * </pre>
 *
 * Its home holds {@code keys/} (sealed entity files), {@code index/} (RocksDB), {@code api-token}
 * (owner-only, made at first start) and {@code heads/} (the ledger's tree heads it has checked). The agent does not own the ledger: closing it leaves the ledger open.
 */
public final class Agent implements AutoCloseable {
    /** What an agent is told before it starts. Defaults: loopback, the default port, the system clock. */
    public static final class Config {
        public Path home;
        public Ledger ledger;
        /** How answers name the ledger ({@code GET /v1/ledger/status}): the URI it was opened from. */
        public String ledgerName;
        /** Unseals the keystore; copied, and the caller's array may be wiped afterwards. */
        public char[] passphrase;
        public String host = "127.0.0.1";
        /** 0 picks a free port ({@link Agent#port()} tells which). */
        public int port = AgentApi.DEFAULT_PORT;
        /** Listen on a non-loopback address over plain HTTP: only when TLS is terminated in front. */
        public boolean allowRemote;
        public Clock clock = Clock.systemUTC();
        public SecureRandom random = new SecureRandom();
        /** How new keys are sealed. */
        public SecretBox.KdfParams kdf = SecretBox.DEFAULT;
        /**
         * How often the index asks the ledger for entries it has not seen. Cached answers are served only while
         * the last read is at most {@link VerdictCache#LEDGER_STALENESS} old, so a longer period starves the cache.
         */
        public long followMillis = 200;
        /** How long an API connection may send nothing before it is timed out (a stalled body is answered 408). */
        public int idleTimeoutMillis = io.wave.ledger.server.JsonHttp.IDLE_TIMEOUT_MILLIS;

        private Config() {}
    }

    private final Config config;
    private final GraphIndex index;
    private final ApiServer server;
    private final AgentCore core;
    private final ScheduledExecutorService follower;
    private final AtomicReference<String> followError = new AtomicReference<>();

    private Agent(Config config, GraphIndex index, AgentCore core, ApiServer server) {
        this.config = config;
        this.index = index;
        this.core = core;
        this.server = server;
        this.follower = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wave-agent-follower");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the keystore and the index, catches the index up with the ledger, and starts listening.
     *
     * @throws WaveException BAD_ARGUMENT for a non-loopback address without {@code allowRemote}; MALFORMED for an
     *                       API token file open to group or others or holding a token under 128 bits
     *                       ({@link ApiToken}); BAD_PASSPHRASE when the passphrase does not open the keystore;
     *                       UNAVAILABLE when the home is in use by another agent or the address cannot be bound
     */
    public static Agent start(Consumer<Config> configure) {
        Config c = new Config();
        configure.accept(c);
        Objects.requireNonNull(c.home, "home");
        Objects.requireNonNull(c.ledger, "ledger");
        if (c.port < 0 || c.port > 65535 || c.followMillis < 1) {
            throw WaveException.badArgument("port " + c.port + " is not a port");
        }
        if (!c.allowRemote && !isLoopback(c.host)) {
            throw WaveException.badArgument(c.host + " is not a loopback address; the agent speaks plain HTTP, so say "
                    + "--allow-remote if you mean it (and put TLS in front)");
        }
        // Before the keys are unsealed: a token others can read or guess would hand them those keys.
        String token = ApiToken.load(c.home.resolve(AgentApi.TOKEN_FILE), c.random);
        Keystore keys = Keystore.open(c.home.resolve("keys"), c.passphrase, c.kdf, c.random);
        VerdictCache cache = new VerdictCache();
        GraphIndex index = GraphIndex.open(c.home.resolve("index"), cache::revoke);
        try {
            ObjectMapper json = AgentApi.mapper(true);
            Metrics metrics = new Metrics();
            String ledgerName = c.ledgerName != null ? c.ledgerName : c.ledger.getClass().getSimpleName();
            AgentCore core = new AgentCore(c.ledger, ledgerName, c.home, keys, index, cache, metrics, c.clock, c.random,
                    json);
            // A ledger server that is away at start is no reason not to serve: the follower catches up later.
            core.catchUp();
            ApiServer server = new ApiServer(core, metrics, token, json, c.host, c.port, c.idleTimeoutMillis);
            server.start();
            Agent agent = new Agent(c, index, core, server);
            agent.follower.scheduleWithFixedDelay(agent::followOnce, c.followMillis, c.followMillis, TimeUnit.MILLISECONDS);
            return agent;
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
    }

    private void followOnce() {
        try {
            core.follow();
            followError.set(null);
        } catch (RuntimeException e) {
            // The ledger may be away for a while; the lag metric shows it and the next round tries again.
            followError.set(e.getMessage());
        }
    }

    /** Why the last round of following the ledger failed, or null when it did not. */
    public String followError() {
        return followError.get();
    }

    /**
     * When the agent's last complete read of its ledger began, by its clock, or null before the first: cached
     * answers are served only while this is at most {@link VerdictCache#LEDGER_STALENESS} old.
     */
    public Instant ledgerReadAt() {
        return core.ledgerReadAt();
    }

    public int port() {
        return server.port();
    }

    /** The base URI clients are given ({@code --agent http://HOST:PORT}). */
    public URI uri() {
        return io.wave.ledger.server.JsonHttp.uri(config.host, port());
    }

    /** What the REST handlers call: for tests that drive request bodies without HTTP (the fuzz tests). */
    AgentCore core() {
        return core;
    }

    /** The file holding the API token that mutating routes require. */
    public Path tokenFile() {
        return config.home.resolve(AgentApi.TOKEN_FILE);
    }

    /** Stops listening and following, and closes the index; the ledger stays open. */
    @Override
    public void close() {
        server.stop();
        follower.shutdownNow();
        try {
            follower.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        index.close();
    }

    /** Whether {@code host} names a loopback address. */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw WaveException.badArgument("unknown host " + host);
        }
    }
}
