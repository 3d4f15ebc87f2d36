package io.wave.ledger.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;

/**
 * A local development Ethereum node: ganache 7.9.2 from {@code wave-ledger/eth/node_modules} (installed by
 * the build with {@code npm ci} from the committed lock file), on a free loopback port with ganache's
 * deterministic, funded accounts. What the tests, {@code wave bench ledger} and the testnet start; never
 * a production chain.
 */
public final class DevNode implements AutoCloseable {
    /** The mnemonic of {@code --wallet.deterministic}; its accounts are public test accounts. */
    public static final String MNEMONIC = "myth like bonus scare over problem client lizard pioneer submit female collect";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    /** A port found free can be taken before ganache binds it; try again on another. */
    private static final int START_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private long ids;

    private DevNode(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** How long installing ganache from the lock file may take (the whole tree from the npm registry). */
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Installs ganache in {@code ethDir} from its committed lock file ({@code node install.js}, which runs
     * {@code npm ci}), as the build does before the tests: what a CLI built without the tests needs the
     * first time it starts a node. npm's output goes to {@code logDir/npm-install.log}.
     */
    private static void install(Path ethDir, Path logDir) {
        Path script = ethDir.resolve("install.js");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("ganache is not installed and " + script + " is missing: give the checkout's "
                    + "wave-ledger/eth directory");
        }
        Path log = logDir.resolve("npm-install.log").toAbsolutePath();
        try {
            Files.createDirectories(logDir);
            Process p = new ProcessBuilder("node", script.toString()).directory(ethDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("installing ganache (npm ci in " + ethDir + ") took over "
                        + INSTALL_TIMEOUT.toMinutes() + " minutes; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("installing ganache (npm ci in " + ethDir + ") failed; see " + log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node to install ganache (is Node.js on the PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing ganache", e);
        }
    }

    /**
     * Starts a node from {@code ethDir} (the {@code wave-ledger/eth} directory), logging to {@code logDir},
     * and returns once it answers JSON-RPC.
     *
     * Installs ganache there first when the build has not (a CLI built with {@code -DskipTests}).
     *
     * @throws IllegalStateException when ganache cannot be installed there, or does not start
     */
    public static DevNode start(Path ethDir, Path logDir) {
        Path cli = ethDir.resolve(Path.of("node_modules", "ganache", "dist", "node", "cli.js")).toAbsolutePath();
        if (!Files.isRegularFile(cli)) {
            install(ethDir, logDir);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int port = freePort();
            Path log = logDir.resolve("ganache-" + port + ".log").toAbsolutePath();
            Process p;
            try {
                Files.createDirectories(log.getParent());
                p = new ProcessBuilder("node", cli.toString(), "--server.host", "127.0.0.1", "--server.port",
                        String.valueOf(port), "--wallet.deterministic", "--logging.quiet", "--chain.chainId", "1337")
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start node (is Node.js on the PATH?)", e);
            }
            DevNode g = new DevNode(p, port, log);
            // Should the test JVM end without closing it (killed by a timeout, say), the node goes too.
            Runtime.getRuntime().addShutdownHook(new Thread(g::close, "stop-ganache-" + port));
            try {
                g.awaitReady();
                g.checkAccounts();
                return g;
            } catch (IllegalStateException e) {
                g.close();
                last = e;
            }
        }
        throw last;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls eth_chainId until it answers, the process dies, or the deadline passes. */
    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                rpc("eth_chainId");
                return;
            } catch (IllegalStateException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("ganache exited with " + process.exitValue() + " before answering; "
                            + "see " + log);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("ganache did not answer on port " + port + " within "
                            + START_TIMEOUT.toSeconds() + " s; see " + log);
                }
                // Waits on the process ending, bounded: the next poll comes at once if it dies.
                try {
                    process.onExit().get(50, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    // poll again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting ganache", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** The keys derived here from the mnemonic are the accounts the node funded. */
    private void checkAccounts() {
        JsonNode accounts = rpc("eth_accounts");
        for (int i = 0; i < 2; i++) {
            String want = account(i).getAddress();
            if (!want.equalsIgnoreCase(accounts.get(i).asText())) {
                throw new IllegalStateException("ganache's account " + i + " is " + accounts.get(i) + ", not " + want);
            }
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Funded account {@code i}: m/44'/60'/0'/0/i of the deterministic mnemonic. */
    public static Credentials account(int i) {
        Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(MNEMONIC, ""));
        int h = Bip32ECKeyPair.HARDENED_BIT;
        return Credentials.create(Bip32ECKeyPair.deriveKeyPair(master, new int[] {44 | h, 60 | h, h, 0, i}));
    }

    public long blockNumber() {
        return Long.decode(rpc("eth_blockNumber").asText());
    }

    /** Mines {@code n} empty blocks. */
    public void mine(int n) {
        for (int i = 0; i < n; i++) {
            rpc("evm_mine");
        }
    }

    /** Saves the chain's state; {@link #revert} goes back to it, dropping every block since. */
    public String snapshot() {
        return rpc("evm_snapshot").asText();
    }

    public void revert(String snapshot) {
        if (!rpc("evm_revert", snapshot).asBoolean()) {
            throw new IllegalStateException("ganache did not revert to snapshot " + snapshot);
        }
    }

    /** Calls {@code method} with string parameters; the result, or IllegalStateException. */
    public synchronized JsonNode rpc(String method, String... params) {
        List<String> quoted = new ArrayList<>();
        for (String p : params) {
            quoted.add(JSON.valueToTree(p).toString());
        }
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + (++ids) + ",\"method\":\"" + method + "\",\"params\":["
                + String.join(",", quoted) + "]}";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url())).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode reply = JSON.readTree(r.body());
            if (r.statusCode() != 200 || reply.has("error") || !reply.has("result")) {
                throw new IllegalStateException(method + ": " + r.statusCode() + " " + r.body());
            }
            return reply.get("result");
        } catch (IOException e) {
            throw new IllegalStateException(method + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + ": interrupted", e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops the node and everything it started, forcibly if it does not stop in time. Idempotent. */
    public void stop() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                h.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.destroyForcibly();
            } catch (ExecutionException e) {
                h.destroyForcibly();
            }
        }
    }

    @Override
    public String toString() {
        return "ganache at " + url().toLowerCase(Locale.ROOT);
    }
}
