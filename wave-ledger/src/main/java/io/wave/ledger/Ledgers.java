package io.wave.ledger;

import io.wave.crypto.WaveException;
import io.wave.ledger.embedded.EmbeddedLedger;
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
     * </ul>
     *
     * @throws WaveException BAD_ARGUMENT for a URI of no known form
     */
    public static Ledger open(String uri, Path home, Clock clock) {
        if (uri == null || uri.isBlank() || uri.equals(EMBEDDED)) {
            return EmbeddedLedger.open(home.resolve("ledger"), clock);
        }
        if (uri.startsWith(EMBEDDED + ":")) {
            return EmbeddedLedger.open(Path.of(uri.substring(EMBEDDED.length() + 1)), clock);
        }
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            throw WaveException.badArgument("ledger '" + uri + "': the ledger server backend is not available in this build yet");
        }
        if (uri.startsWith("ethereum:")) {
            throw WaveException.badArgument("ledger '" + uri + "': the Ethereum backend is not available in this build yet");
        }
        throw WaveException.badArgument("ledger '" + uri + "' is none of: embedded, embedded:DIR, http://HOST:PORT, "
                + "ethereum:http://HOST:PORT?contract=0x...");
    }
}
