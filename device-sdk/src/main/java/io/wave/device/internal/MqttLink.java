package io.wave.device.internal;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.device.BrokerAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One MQTT 5 connection (Eclipse Paho) as the device agent and the command client use it: QoS 1 both
 * ways, automatic reconnection with backoff, every subscription made again after each reconnection, and
 * publishes held back to what the broker says it can take in flight, so a burst waits instead of
 * failing. Paho exceptions stop here: callers see {@link WaveException} UNAVAILABLE.
 */
public final class MqttLink implements AutoCloseable {
    /** What arrives: the topic, the payload, and the MQTT 5 response topic and correlation data (or null). */
    @FunctionalInterface
    public interface Receiver {
        void receive(String topic, byte[] payload, String responseTopic, byte[] correlation);
    }

    /** Most QoS 1 publishes in flight, whatever the broker allows: enough to keep a link busy. */
    static final int MAX_IN_FLIGHT = 1000;
    /** Reconnection backoff, from one second doubling to at most this. */
    static final int MAX_RECONNECT_DELAY_SECONDS = 8;
    /** How long a publish waits for an in-flight slot before it is reported as failed. */
    static final Duration PUBLISH_WAIT = Duration.ofSeconds(10);

    private final MqttAsyncClient client;
    private final List<String> subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Receiver receiver;
    private volatile Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private volatile Runnable onConnect = () -> { };
    private volatile boolean closed;

    private MqttLink(MqttAsyncClient client, Receiver receiver) {
        this.client = client;
        this.receiver = receiver;
    }

    /**
     * Connects, and subscribes to {@code topics}.
     *
     * @param persistentSession keep the session (and so queued QoS 1 messages) across disconnections:
     *     what a device wants; a client that only waits for replies does not
     * @param maxPacket the largest packet the broker should send this client (MQTT 5 maximum packet size)
     * @throws WaveException UNAVAILABLE when the broker cannot be reached or refuses the connection
     */
    public static MqttLink connect(BrokerAddress broker, String clientId, boolean persistentSession, long maxPacket,
            Duration timeout, Receiver receiver, List<String> topics) {
        Objects.requireNonNull(receiver, "receiver");
        MqttAsyncClient c;
        try {
            c = new MqttAsyncClient(broker.serverUri(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw unavailable("cannot use broker " + broker, e);
        }
        MqttLink link = new MqttLink(c, receiver);
        link.subscriptions.addAll(topics);
        c.setCallback(link.new Callback());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, MAX_RECONNECT_DELAY_SECONDS);
        o.setCleanStart(!persistentSession);
        o.setSessionExpiryInterval(persistentSession ? 3600L : 0L);
        o.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
        o.setKeepAliveInterval(30);
        o.setMaximumPacketSize(maxPacket);
        if (broker.serverUri().startsWith("tcp:")) {
            // Commands and replies are small and each waits for the other: Nagle's algorithm meeting
            // delayed acknowledgements would add tens of milliseconds to every round trip.
            o.setSocketFactory(NoDelaySocketFactory.INSTANCE);
        }
        if (broker.username() != null) {
            o.setUserName(broker.username());
        }
        if (broker.password() != null) {
            o.setPassword(broker.password());
        }
        try {
            IMqttToken t = c.connect(o);
            t.waitForCompletion(timeout.toMillis());
            link.limitInFlight(t);
            link.subscribeAll();
        } catch (MqttException e) {
            link.closeQuietly();
            throw unavailable("cannot connect to broker " + broker, e);
        }
        return link;
    }

    private void limitInFlight(IMqttToken connectToken) {
        MqttProperties p = connectToken.getResponseProperties();
        Integer max = p == null ? null : p.getReceiveMaximum();
        int slots = max == null ? MAX_IN_FLIGHT : Math.max(1, Math.min(max, MAX_IN_FLIGHT));
        inFlight = new Semaphore(slots);
    }

    private void subscribeAll() throws MqttException {
        if (subscriptions.isEmpty()) {
            return;
        }
        MqttSubscription[] subs = subscriptions.stream().map(t -> new MqttSubscription(t, 1))
                .toArray(MqttSubscription[]::new);
        client.subscribe(subs).waitForCompletion(PUBLISH_WAIT.toMillis());
    }

    /** Adds a subscription, kept across reconnections. */
    public void subscribe(String topic) {
        if (subscriptions.contains(topic)) {
            return;
        }
        subscriptions.add(topic);
        try {
            client.subscribe(new MqttSubscription(topic, 1)).waitForCompletion(PUBLISH_WAIT.toMillis());
        } catch (MqttException e) {
            throw unavailable("cannot subscribe to " + topic, e);
        }
    }

    /** Runs after every reconnection (not the first connection). */
    public void onReconnect(Runnable r) {
        onConnect = Objects.requireNonNull(r, "r");
    }

    /**
     * Publishes at QoS 1, waiting for an in-flight slot if the broker's window is full.
     *
     * @throws WaveException UNAVAILABLE when the link is down or no slot frees within the wait
     */
    public void publish(String topic, byte[] payload, String responseTopic, byte[] correlation) {
        MqttMessage m = new MqttMessage(payload, 1, false, null);
        if (responseTopic != null) {
            MqttProperties p = new MqttProperties();
            p.setResponseTopic(responseTopic);
            p.setCorrelationData(correlation);
            m.setProperties(p);
        }
        Semaphore slots = inFlight;
        try {
            if (!slots.tryAcquire(PUBLISH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new WaveException(ErrorCode.UNAVAILABLE, "no room to publish to " + topic + " within "
                        + PUBLISH_WAIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaveException(ErrorCode.UNAVAILABLE, "interrupted while publishing");
        }
        try {
            client.publish(topic, m, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    slots.release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    slots.release();
                }
            });
        } catch (MqttException e) {
            slots.release();
            throw unavailable("cannot publish to " + topic, e);
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2000);
            }
        } catch (MqttException e) {
            try {
                client.disconnectForcibly(0, 1000, false);
            } catch (MqttException ignored) {
                // Closing anyway.
            }
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // Nothing left to release.
        }
    }

    /** Plain TCP sockets with TCP_NODELAY set. */
    static final class NoDelaySocketFactory extends javax.net.SocketFactory {
        static final NoDelaySocketFactory INSTANCE = new NoDelaySocketFactory();

        private static java.net.Socket noDelay(java.net.Socket s) throws java.io.IOException {
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            return noDelay(new java.net.Socket());
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            return noDelay(new java.net.Socket(host, port));
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort)
                throws java.io.IOException {
            return noDelay(new java.net.Socket(host, port, localHost, localPort));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            return noDelay(new java.net.Socket(host, port));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress,
                int localPort) throws java.io.IOException {
            return noDelay(new java.net.Socket(address, port, localAddress, localPort));
        }
    }

    private static WaveException unavailable(String what, MqttException e) {
        return new WaveException(ErrorCode.UNAVAILABLE, what + ": " + describe(e), e);
    }

    private static String describe(MqttException e) {
        String m = e.getMessage();
        Throwable cause = e.getCause();
        return (m == null ? "MQTT error " + e.getReasonCode() : m)
                + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "");
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            // Paho reconnects by itself; connectComplete resubscribes.
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            // Surfaces as a failed publish or a lost connection; nothing to do here.
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            MqttProperties p = message.getProperties();
            receiver.receive(topic, message.getPayload(), p == null ? null : p.getResponseTopic(),
                    p == null ? null : p.getCorrelationData());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // Slots are released by each publish's own listener.
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (!reconnect || closed) {
                return;
            }
            // A broker that lost our session (restarted without persistence) forgot the subscriptions.
            Thread t = new Thread(() -> {
                try {
                    subscribeAll();
                } catch (MqttException ignored) {
                    // The next reconnection tries again.
                }
                onConnect.run();
            }, "wave-mqtt-resubscribe");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // No enhanced authentication.
        }
    }
}
