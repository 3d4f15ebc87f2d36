package io.wave.ledger.ethereum;

import io.wave.crypto.WaveException;
import io.wave.ledger.ethereum.internal.Chain;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.web3j.crypto.Keys;

/**
 * How to reach a WAVE registry on an Ethereum chain: the node's JSON-RPC URL, the registry's address
 * (absent until deployed), how many blocks must follow one before its objects count, how many objects go
 * in one transaction, where the account key comes from, and how long to wait for the node.
 *
 * <p>Users write it as a URI ({@link #parse}): {@code ethereum:http://HOST:PORT?contract=0x...}, with
 * optional {@code &confirmations=N} and {@code &batch=N}.
 *
 * @param rpc           the node's JSON-RPC endpoint, http or https
 * @param contract      the registry's address, lower case, or null before deployment
 * @param confirmations blocks that must be mined on top of a block before a reader takes its objects, and
 *                      before a publish returns. Reorganisations are handled at any depth (the index rolls
 *                      back); a depth makes them rarer at the cost of latency. 0 suits chains with instant
 *                      finality (QBFT, IBFT) and dev nodes that mine only on demand.
 * @param batchSize     most objects per transaction (fewer when they would exceed {@link #MAX_TRANSACTION_BYTES})
 * @param key           the account key that signs transactions
 * @param timeout       the longest wait for one node request, a transaction to be mined, or confirmations
 * @param pollInterval  how often to ask the node while waiting for a receipt or a block
 * @param maxStaleness  how old the index may be before a read asks the node again; zero asks on every read
 */
public record EthereumConfig(URI rpc, String contract, int confirmations, int batchSize, KeySource key, Duration timeout,
        Duration pollInterval, Duration maxStaleness) {
    /** The prefix of a ledger URI naming an Ethereum registry. */
    public static final String SCHEME = "ethereum:";
    public static final int DEFAULT_CONFIRMATIONS = 0;
    public static final int DEFAULT_BATCH_SIZE = 100;
    /** More would need several blocks' gas on common chains and tie up a publish for long. */
    public static final int MAX_BATCH_SIZE = 1_000;
    /** Deeper than any reorganisation a live chain has seen; more is a typo. */
    public static final int MAX_CONFIRMATIONS = 1_000;
    /**
     * Object bytes per transaction: geth's pool refuses transactions over 128 KiB, and ABI encoding adds
     * 64 bytes and padding per object.
     */
    public static final int MAX_TRANSACTION_BYTES = 96 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_STALENESS = Duration.ofSeconds(1);

    public EthereumConfig {
        Objects.requireNonNull(rpc, "rpc");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(maxStaleness, "maxStaleness");
        checkRpc(rpc, rpc.toString());
        if (contract != null) {
            contract = address(contract);
        }
        if (confirmations < 0 || confirmations > MAX_CONFIRMATIONS) {
            throw WaveException.badArgument("confirmations must be between 0 and " + MAX_CONFIRMATIONS + ", not "
                    + confirmations);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw WaveException.badArgument("batch size must be between 1 and " + MAX_BATCH_SIZE + ", not " + batchSize);
        }
        if (timeout.isNegative() || timeout.isZero() || pollInterval.isNegative() || pollInterval.isZero()
                || maxStaleness.isNegative()) {
            throw WaveException.badArgument("timeout and poll interval must be positive, staleness not negative");
        }
    }

    /** The node at {@code rpcUrl}, no contract yet, defaults for the rest, no account key. */
    public static EthereumConfig of(String rpcUrl) {
        return new EthereumConfig(rpcUri(rpcUrl), null, DEFAULT_CONFIRMATIONS, DEFAULT_BATCH_SIZE, KeySource.none(),
                DEFAULT_TIMEOUT, DEFAULT_POLL_INTERVAL, DEFAULT_MAX_STALENESS);
    }

    /**
     * Parses {@code ethereum:http://HOST:PORT?contract=0x...[&confirmations=N][&batch=N]}; the key source is
     * given apart because it never travels in a URI.
     *
     * @throws WaveException BAD_ARGUMENT naming what is wrong
     */
    public static EthereumConfig parse(String uri, KeySource key) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            throw WaveException.badArgument("an Ethereum ledger is written " + SCHEME + "http://HOST:PORT?contract=0x...");
        }
        String rest = uri.substring(SCHEME.length());
        int q = rest.indexOf('?');
        String node = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> params = q < 0 ? Map.of() : query(rest.substring(q + 1));
        EthereumConfig c = of(node).withKey(key);
        for (Map.Entry<String, String> p : params.entrySet()) {
            switch (p.getKey()) {
                case "contract" -> c = c.withContract(p.getValue());
                case "confirmations" -> c = c.withConfirmations(number("confirmations", p.getValue()));
                case "batch" -> c = c.withBatchSize(number("batch", p.getValue()));
                default -> throw WaveException.badArgument("ledger URI parameter '" + p.getKey()
                        + "' is none of: contract, confirmations, batch");
            }
        }
        return c;
    }

    /** This configuration as a URI that {@link #parse} reads back (the key source is not part of it). */
    public String toUri() {
        StringBuilder b = new StringBuilder(SCHEME).append(rpc);
        String sep = "?";
        if (contract != null) {
            b.append(sep).append("contract=").append(contract);
            sep = "&";
        }
        if (confirmations != DEFAULT_CONFIRMATIONS) {
            b.append(sep).append("confirmations=").append(confirmations);
            sep = "&";
        }
        if (batchSize != DEFAULT_BATCH_SIZE) {
            b.append(sep).append("batch=").append(batchSize);
        }
        return b.toString();
    }

    public Optional<String> contractAddress() {
        return Optional.ofNullable(contract);
    }

    /** The registry's address, required. */
    public String requireContract() {
        if (contract == null) {
            throw WaveException.badArgument("the Ethereum ledger URI needs the registry's address: "
                    + SCHEME + rpcForMessages() + "?contract=0x... (deploy one with `wave ledger deploy`)");
        }
        return contract;
    }

    /** The node as messages show it: no path or query, which often carry API keys. */
    public String rpcForMessages() {
        return Chain.redacted(rpc);
    }

    /** Without the node's path, which may carry an API key, and without the key source's details. */
    @Override
    public String toString() {
        return "EthereumConfig[" + SCHEME + rpcForMessages() + ", contract=" + contract + ", confirmations="
                + confirmations + ", batch=" + batchSize + ", key=" + key + "]";
    }

    public EthereumConfig withContract(String address) {
        return new EthereumConfig(rpc, address, confirmations, batchSize, key, timeout, pollInterval, maxStaleness);
    }

    public EthereumConfig withConfirmations(int n) {
        return new EthereumConfig(rpc, contract, n, batchSize, key, timeout, pollInterval, maxStaleness);
    }

    public EthereumConfig withBatchSize(int n) {
        return new EthereumConfig(rpc, contract, confirmations, n, key, timeout, pollInterval, maxStaleness);
    }

    public EthereumConfig withKey(KeySource k) {
        return new EthereumConfig(rpc, contract, confirmations, batchSize, k, timeout, pollInterval, maxStaleness);
    }

    public EthereumConfig withTimeout(Duration d) {
        return new EthereumConfig(rpc, contract, confirmations, batchSize, key, d, pollInterval, maxStaleness);
    }

    public EthereumConfig withPollInterval(Duration d) {
        return new EthereumConfig(rpc, contract, confirmations, batchSize, key, timeout, d, maxStaleness);
    }

    public EthereumConfig withMaxStaleness(Duration d) {
        return new EthereumConfig(rpc, contract, confirmations, batchSize, key, timeout, pollInterval, d);
    }

    /**
     * A contract address: {@code 0x} and 40 hex digits. Mixed case must be the EIP-55 checksum, which
     * catches a mistyped digit.
     */
    static String address(String text) {
        if (text == null || !text.matches("0[xX][0-9a-fA-F]{40}")) {
            throw WaveException.badArgument("contract '" + text + "' is not an address (0x and 40 hex digits)");
        }
        String hex = text.substring(2);
        boolean mixed = !hex.equals(hex.toLowerCase(Locale.ROOT)) && !hex.equals(hex.toUpperCase(Locale.ROOT));
        if (mixed && !Keys.toChecksumAddress(hex).substring(2).equals(hex)) {
            throw WaveException.badArgument("contract '" + text + "' fails its EIP-55 checksum: a digit is mistyped");
        }
        return "0x" + hex.toLowerCase(Locale.ROOT);
    }

    private static URI rpcUri(String url) {
        if (url == null || url.isBlank()) {
            throw WaveException.badArgument("the Ethereum node's URL is missing: " + SCHEME + "http://HOST:PORT?contract=0x...");
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw WaveException.badArgument("the Ethereum node's URL must be http:// or https://, as in "
                    + SCHEME + "http://127.0.0.1:8545?contract=0x...");
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw WaveException.badArgument("the Ethereum node's URL is not a URL: " + e.getReason());
        }
        checkRpc(u, url);
        return u;
    }

    private static void checkRpc(URI u, String text) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw WaveException.badArgument("the Ethereum node's URL must be http:// or https://, as in "
                    + SCHEME + "http://127.0.0.1:8545?contract=0x...");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw WaveException.badArgument("the Ethereum node's URL names no host: " + SCHEME + "http://HOST:PORT");
        }
        if (u.getQuery() != null || u.getFragment() != null) {
            throw WaveException.badArgument("the Ethereum node's URL may not carry a query or fragment of its own");
        }
    }

    private static Map<String, String> query(String q) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : q.split("&", -1)) {
            int eq = part.indexOf('=');
            if (part.isEmpty() || eq <= 0) {
                throw WaveException.badArgument("ledger URI parameter '" + part + "' is not NAME=VALUE");
            }
            String name;
            String value;
            try {
                name = URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8);
                value = URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw WaveException.badArgument("ledger URI parameter '" + part + "' has a bad %-escape");
            }
            if (out.put(name, value) != null) {
                throw WaveException.badArgument("ledger URI parameter '" + name + "' is given twice");
            }
        }
        return out;
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw WaveException.badArgument("ledger URI parameter " + name + "='" + value + "' is not a whole number");
        }
    }
}
