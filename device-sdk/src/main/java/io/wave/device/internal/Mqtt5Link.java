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
 * An MQTT 5 link (Eclipse Paho's mqttv5 client): response topics and correlation data, the maximum packet
 * size announced to the broker, and publishes held back to the receive maximum the broker announces.
 */
final class Mqtt5Link implements MqttLink {
    private final MqttAsyncClient client;
    private final List<String> subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Receiver receiver;
    private volatile Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private volatile Runnable onConnect = () -> { };
    private volatile boolean closed;

    private Mqtt5Link(MqttAsyncClient client, Receiver receiver) {
        this.client = client;
        this.receiver = receiver;
    }

    static Mqtt5Link connect(BrokerAddress broker, String clientId, boolean persistentSession, long maxPacket,
            Duration timeout, Receiver receiver, List<String> topics) {
        Objects.requireNonNull(receiver, "receiver");
        MqttAsyncClient c;
        try {
            c = new MqttAsyncClient(broker.serverUri(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw unavailable("cannot use broker " + broker, e);
        }
        Mqtt5Link link = new Mqtt5Link(c, receiver);
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

    @Override
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

    @Override
    public void onReconnect(Runnable r) {
        onConnect = Objects.requireNonNull(r, "r");
    }

    @Override
    public void publish(String topic, byte[] payload, String responseTopic, byte[] correlation) {
        MqttMessage m = new MqttMessage(payload, 1, false, null);
        if (responseTopic != null || correlation != null) {
            // A request names where to answer; an answer carries back the request's correlation data.
            MqttProperties p = new MqttProperties();
            if (responseTopic != null) {
                p.setResponseTopic(responseTopic);
            }
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

    @Override
    public int version() {
        return 5;
    }

    @Override
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

    static WaveException unavailable(String what, MqttException e) {
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
                    p == null ? null : p.getCorrelationData(), message.isRetained());
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
