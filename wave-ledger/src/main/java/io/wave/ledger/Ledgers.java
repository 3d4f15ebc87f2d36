package io.wave.ledger;

import io.wave.crypto.WaveException;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.http.HttpLedger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;

/** Opens a ledger from the URI users give with {@code --ledger}. */
public final class Ledgers {
    /** The default: the embedded ledger under the user's WAVE home. */
    public static final String EMBEDDED = "embedded";

    private Ledgers() {}

    /**
     * Opens {@code uri}:
     * <ul>
     *   <li>{@code embedded}: the embedded ledger in {@code home/ledger};</li>
     *   <li>{@code embedded:DIR}: the embedded ledger in DIR;</li>
     *   <li>{@code ethereum:http://HOST:PORT?contract=0x...}: the registry contract on an Ethereum node
     *       (direct mode: objects as event data);</li>
     *   <li>{@code http://HOST:PORT}: a ledger server, through a client that verifies everything it is served
     *       and keeps the server's pinned key, its last verified head and its queued publishes in
     *       {@code home/ledgers/HOST_PORT};</li>
     * </ul>
     *
     * @throws WaveException BAD_ARGUMENT for a URI of no known form
     */
    public static Ledger open(String uri, Path home, Clock clock) {
        return open(uri, home, clock, io.wave.ledger.ethereum.KeySource.none());
    }

    /**
     * As {@link #open(String, Path, Clock)}, with the account key that pays for publishing on an Ethereum
     * ledger ({@code ethereum:http://HOST:PORT?contract=0x...}); reading needs none.
     */
    public static Ledger open(String uri, Path home, Clock clock, io.wave.ledger.ethereum.KeySource ethKey) {
        if (uri == null || uri.isBlank() || uri.equals(EMBEDDED)) {
            return EmbeddedLedger.open(home.resolve("ledger"), clock);
        }
        if (uri.startsWith(EMBEDDED + ":")) {
            return EmbeddedLedger.open(Path.of(uri.substring(EMBEDDED.length() + 1)), clock);
        }
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            URI server;
            try {
                server = new URI(uri);
            } catch (URISyntaxException e) {
                throw WaveException.badArgument("ledger '" + uri + "' is not a URI: " + e.getReason());
            }
            return HttpLedger.open(server, HttpLedger.stateDirectory(home, server));
        }
        if (uri.startsWith(io.wave.ledger.ethereum.EthereumConfig.SCHEME)) {
            return io.wave.ledger.ethereum.EthereumLedger.open(io.wave.ledger.ethereum.EthereumConfig.parse(uri, ethKey));
        }
        throw WaveException.badArgument("ledger '" + uri + "' is none of: embedded, embedded:DIR, http://HOST:PORT, "
                + "ethereum:http://HOST:PORT?contract=0x...");
    }
}
