package io.wave.device.internal;

import io.wave.crypto.WaveException;
import io.wave.device.BrokerAddress;
import java.time.Duration;
import java.util.List;

/**
 * One MQTT connection as the device agent and the command client use it: QoS 1 both ways, automatic
 * reconnection with backoff, every subscription made again after each reconnection, and publishes held
 * back to what the broker can take in flight, so a burst waits instead of failing. MQTT 5 where the
 * broker speaks it, MQTT 3.1.1 otherwise (or when the address asks for it). Paho's exceptions stop here:
 * callers see {@link WaveException} UNAVAILABLE.
 */
public interface MqttLink extends AutoCloseable {
    /** What arrives: the topic, the payload, and the MQTT 5 response topic and correlation data (or null). */
    @FunctionalInterface
    interface Receiver {
        void receive(String topic, byte[] payload, String responseTopic, byte[] correlation);

        /**
         * The same, with the delivery's RETAIN flag: set (in MQTT 5 and 3.1.1 alike) when the broker sends a
         * copy from its retained store because a subscription was made, clear for a message forwarded live.
         * The links call this one; a receiver that must tell the two apart (a device: a retained command
         * is not a live one) overrides it. By default a retained delivery is taken like any other.
         */
        default void receive(String topic, byte[] payload, String responseTopic, byte[] correlation, boolean retained) {
            receive(topic, payload, responseTopic, correlation);
        }
    }

    /** Most QoS 1 publishes in flight, whatever the broker allows: enough to keep a link busy. */
    int MAX_IN_FLIGHT = 1000;
    /** Reconnection backoff, from one second doubling to at most this. */
    int MAX_RECONNECT_DELAY_SECONDS = 8;
    /** How long a publish waits for an in-flight slot before it is reported as failed. */
    Duration PUBLISH_WAIT = Duration.ofSeconds(10);

    /**
     * Connects, and subscribes to {@code topics}: MQTT 5 first, then 3.1.1 if the broker would not take
     * 5 (unless the address names one version).
     *
     * @param persistentSession keep the session (and so queued QoS 1 messages) across disconnections:
     *     what a device wants; a client that only waits for replies does not
     * @param maxPacket the largest packet the broker should send (announced in MQTT 5 only)
     * @throws WaveException UNAVAILABLE when the broker cannot be reached or refuses the connection
     */
    static MqttLink connect(BrokerAddress broker, String clientId, boolean persistentSession, long maxPacket,
            Duration timeout, Receiver receiver, List<String> topics) {
        return switch (broker.protocol()) {
            case MQTT_5 -> Mqtt5Link.connect(broker, clientId, persistentSession, maxPacket, timeout, receiver, topics);
            case MQTT_3_1_1 -> Mqtt3Link.connect(broker, clientId, persistentSession, timeout, receiver, topics);
            case AUTO -> {
                try {
                    yield Mqtt5Link.connect(broker, clientId, persistentSession, maxPacket, timeout, receiver, topics);
                } catch (WaveException v5) {
                    yield fallBackTo311(broker, clientId, persistentSession, timeout, receiver, topics, v5);
                }
            }
        };
    }

    /** Attempts at MQTT 3.1.1 after a broker refused MQTT 5, and the pause before the first retry (doubling). */
    int FALLBACK_ATTEMPTS = 3;
    long FALLBACK_PAUSE_MILLIS = 250;

    /**
     * MQTT 3.1.1 after MQTT 5 was refused. A broker that has just refused the MQTT 5 connection may still be
     * tearing down that client id when the 3.1.1 connection arrives, and drop it too (seen with Moquette on a
     * busy machine): a few attempts with a short, growing pause tell that from a broker that is really away.
     */
    private static MqttLink fallBackTo311(BrokerAddress broker, String clientId, boolean persistentSession,
            Duration timeout, Receiver receiver, List<String> topics, WaveException v5) {
        long pause = FALLBACK_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                return Mqtt3Link.connect(broker, clientId, persistentSession, timeout, receiver, topics);
            } catch (WaveException v3) {
                v5.addSuppressed(v3);
                if (attempt >= FALLBACK_ATTEMPTS) {
                    throw v5;
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw v5;
            }
            pause *= 2;
        }
    }

    /** Adds a subscription, kept across reconnections. */
    void subscribe(String topic);

    /**
     * Publishes at QoS 1, waiting for an in-flight slot if the window is full. The response topic and
     * correlation data are sent only over MQTT 5.
     *
     * @throws WaveException UNAVAILABLE when the link is down or no slot frees within the wait
     */
    void publish(String topic, byte[] payload, String responseTopic, byte[] correlation);

    /** Runs after every reconnection (not the first connection). */
    void onReconnect(Runnable r);

    /** 5, or 4 for MQTT 3.1.1 (its protocol level). */
    int version();

    /** Whether replies can be asked for on a topic of one's own (MQTT 5 response topics). */
    default boolean hasResponseTopics() {
        return version() >= 5;
    }

    boolean isConnected();

    @Override
    void close();
}
