package io.wave.device.internal;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.device.BrokerAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * An MQTT 3.1.1 link (Eclipse Paho's mqttv3 client), for brokers that do not speak 5. There are no
 * response topics: devices answer on {@code wave/NS/RESOURCE/reply} and clients match replies to their
 * commands by the command id every reply is bound to.
 */
final class Mqtt3Link implements MqttLink {
    private final MqttAsyncClient client;
    private final Receiver receiver;
    private final List<String> subscriptions = new CopyOnWriteArrayList<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private volatile Runnable onConnect = () -> { };
    private volatile boolean closed;

    private Mqtt3Link(MqttAsyncClient client, Receiver receiver) {
        this.client = client;
        this.receiver = receiver;
    }

    static Mqtt3Link connect(BrokerAddress broker, String clientId, boolean persistentSession, Duration timeout,
            Receiver receiver, List<String> topics) {
        Objects.requireNonNull(receiver, "receiver");
        MqttAsyncClient c;
        try {
            c = new MqttAsyncClient(broker.serverUri(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw unavailable("cannot use broker " + broker, e);
        }
        Mqtt3Link link = new Mqtt3Link(c, receiver);
        link.subscriptions.addAll(topics);
        c.setCallback(link.new Callback());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(MAX_RECONNECT_DELAY_SECONDS * 1000);
        o.setCleanSession(!persistentSession);
        o.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
        o.setKeepAliveInterval(30);
        o.setMaxInflight(MAX_IN_FLIGHT);
        if (broker.serverUri().startsWith("tcp:")) {
            o.setSocketFactory(NoDelaySocketFactory.INSTANCE);
        }
        if (broker.username() != null) {
            o.setUserName(broker.username());
        }
        byte[] pw = broker.password();
        if (pw != null) {
            o.setPassword(new String(pw, java.nio.charset.StandardCharsets.UTF_8).toCharArray());
        }
        try {
            c.connect(o).waitForCompletion(timeout.toMillis());
            link.subscribeAll();
        } catch (MqttException e) {
            link.closeQuietly();
            throw unavailable("cannot connect to broker " + broker + " over MQTT 3.1.1", e);
        }
        return link;
    }

    private void subscribeAll() throws MqttException {
        if (subscriptions.isEmpty()) {
            return;
        }
        String[] t = subscriptions.toArray(String[]::new);
        int[] qos = new int[t.length];
        java.util.Arrays.fill(qos, 1);
        client.subscribe(t, qos).waitForCompletion(PUBLISH_WAIT.toMillis());
    }

    @Override
    public void subscribe(String topic) {
        if (subscriptions.contains(topic)) {
            return;
        }
        subscriptions.add(topic);
        try {
            client.subscribe(topic, 1).waitForCompletion(PUBLISH_WAIT.toMillis());
        } catch (MqttException e) {
            throw unavailable("cannot subscribe to " + topic, e);
        }
    }

    @Override
    public void publish(String topic, byte[] payload, String responseTopic, byte[] correlation) {
        try {
            if (!inFlight.tryAcquire(PUBLISH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new WaveException(ErrorCode.UNAVAILABLE, "no room to publish to " + topic + " within "
                        + PUBLISH_WAIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaveException(ErrorCode.UNAVAILABLE, "interrupted while publishing");
        }
        try {
            client.publish(topic, payload, 1, false, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    inFlight.release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    inFlight.release();
                }
            });
        } catch (MqttException e) {
            inFlight.release();
            throw unavailable("cannot publish to " + topic, e);
        }
    }

    @Override
    public void onReconnect(Runnable r) {
        onConnect = Objects.requireNonNull(r, "r");
    }

    @Override
    public int version() {
        return 4;
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

    private static WaveException unavailable(String what, MqttException e) {
        String m = e.getMessage();
        Throwable cause = e.getCause();
        return new WaveException(ErrorCode.UNAVAILABLE, what + ": " + (m == null ? "MQTT error " + e.getReasonCode() : m)
                + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : ""), e);
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectionLost(Throwable cause) {
            // Paho reconnects by itself; connectComplete resubscribes.
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            receiver.receive(topic, message.getPayload(), null, null, message.isRetained());
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Slots are released by each publish's own listener.
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (!reconnect || closed) {
                return;
            }
            Thread t = new Thread(() -> {
                try {
                    subscribeAll();
                } catch (MqttException ignored) {
                    // The next reconnection tries again.
                }
                onConnect.run();
            }, "wave-mqtt3-resubscribe");
            t.setDaemon(true);
            t.start();
        }
    }
}
