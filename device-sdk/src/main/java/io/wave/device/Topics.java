package io.wave.device;

import io.wave.crypto.EntityId;
import io.wave.crypto.objects.CommandBody;
import java.util.Objects;

/**
 * Where commands and replies travel on MQTT. Everything lives under {@code wave/NAMESPACE/}; a
 * namespace id is URL-safe base64, so it never holds an MQTT wildcard or a separator.
 *
 * <ul>
 *   <li>{@code wave/NS/RESOURCE/cmd}: commands for RESOURCE (each cell of the resource a topic level);</li>
 *   <li>{@code wave/NS/RESOURCE/reply}: signed replies and refusals, for MQTT 3.1.1 clients and for
 *       commands that named no MQTT 5 response topic;</li>
 *   <li>{@code wave/NS/_inbox/CLIENT}: where an MQTT 5 client asks for its replies (response topic plus
 *       correlation data). {@code _inbox} cannot be confused with a resource's first cell of the same
 *       namespace by a device: a device subscribes only to {@code .../cmd} topics.</li>
 * </ul>
 */
public final class Topics {
    public static final String ROOT = "wave";
    public static final String COMMAND = "cmd";
    public static final String REPLY = "reply";
    public static final String INBOX = "_inbox";

    private Topics() {}

    /** The topic a device serving {@code resource} subscribes to. */
    public static String command(EntityId namespace, String resource) {
        CommandBody.checkResource(resource);
        return ROOT + "/" + namespace + "/" + resource + "/" + COMMAND;
    }

    /** The topic replies about {@code resource} go to when no response topic was asked for. */
    public static String reply(EntityId namespace, String resource) {
        CommandBody.checkResource(resource);
        return ROOT + "/" + namespace + "/" + resource + "/" + REPLY;
    }

    /** A client's private reply topic. */
    public static String inbox(EntityId namespace, String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isEmpty() || clientId.contains("/") || clientId.contains("+") || clientId.contains("#")) {
            throw new IllegalArgumentException("a client id is one topic level");
        }
        return ROOT + "/" + namespace + "/" + INBOX + "/" + clientId;
    }
}
