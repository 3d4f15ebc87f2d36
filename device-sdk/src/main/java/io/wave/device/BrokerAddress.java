package io.wave.device;

import io.wave.crypto.WaveException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where an MQTT broker listens and how to log in. {@code tcp://HOST:PORT} (or {@code mqtt://}) for plain
 * MQTT, {@code ssl://HOST:PORT} (or {@code mqtts://}) for TLS. The password never prints.
 */
public final class BrokerAddress {
    /** Which MQTT version to speak: 5 where the broker takes it, else 3.1.1 ({@code AUTO}); or only one. */
    public enum Protocol { AUTO, MQTT_5, MQTT_3_1_1 }

    private final URI uri;
    private final String username;
    private final byte[] password;
    private final Protocol protocol;

    private BrokerAddress(URI uri, String username, byte[] password, Protocol protocol) {
        this.uri = uri;
        this.username = username;
        this.password = password;
        this.protocol = protocol;
    }

    /**
     * Parses a broker URI, optionally with {@code ?mqtt=5} or {@code ?mqtt=3.1.1} to speak only that version.
     *
     * @throws WaveException BAD_ARGUMENT when it is not {@code tcp|ssl|mqtt|mqtts://HOST:PORT[?mqtt=V]}
     */
    public static BrokerAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        URI u;
        try {
            u = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw WaveException.badArgument("broker '" + text + "' is not a URI: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        String paho = switch (scheme) {
            case "tcp", "mqtt" -> "tcp";
            case "ssl", "mqtts" -> "ssl";
            default -> throw WaveException.badArgument("broker '" + text + "': the scheme is tcp://, ssl://, mqtt:// or mqtts://");
        };
        if (u.getHost() == null || u.getPort() < 1 || (u.getPath() != null && !u.getPath().isEmpty())) {
            throw WaveException.badArgument("broker '" + text + "' is not " + scheme + "://HOST:PORT");
        }
        Protocol p = Protocol.AUTO;
        if (u.getQuery() != null) {
            p = switch (u.getQuery()) {
                case "mqtt=5" -> Protocol.MQTT_5;
                case "mqtt=3.1.1" -> Protocol.MQTT_3_1_1;
                default -> throw WaveException.badArgument("broker '" + text + "': the only option is ?mqtt=5 or ?mqtt=3.1.1");
            };
        }
        return new BrokerAddress(URI.create(paho + "://" + u.getHost() + ":" + u.getPort()), null, null, p);
    }

    /** The same broker, logging in as {@code username} with {@code password} (either may be null). */
    public BrokerAddress withCredentials(String username, byte[] password) {
        return new BrokerAddress(uri, username, password == null ? null : password.clone(), protocol);
    }

    /** The same broker, speaking only {@code p} (or, with AUTO, 5 and else 3.1.1). */
    public BrokerAddress withProtocol(Protocol p) {
        return new BrokerAddress(uri, username, password, Objects.requireNonNull(p, "protocol"));
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The URI in the form Paho takes. */
    public String serverUri() {
        return uri.toString();
    }

    public String host() {
        return uri.getHost();
    }

    public int port() {
        return uri.getPort();
    }

    public String username() {
        return username;
    }

    /** The password (a copy), or null. */
    public byte[] password() {
        return password == null ? null : password.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrokerAddress b && b.uri.equals(uri) && Objects.equals(b.username, username)
                && Arrays.equals(b.password, password) && b.protocol == protocol;
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }

    @Override
    public String toString() {
        return uri + (protocol == Protocol.AUTO ? "" : protocol == Protocol.MQTT_5 ? "?mqtt=5" : "?mqtt=3.1.1")
                + (username == null ? "" : " as " + username + (password == null ? "" : " (password redacted)"));
    }
}
