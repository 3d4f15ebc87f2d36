package io.wave.device.broker;

import io.wave.device.BrokerAddress;

/** An MQTT broker this process started, on loopback; closing it stops it and frees its port. */
public interface Broker extends AutoCloseable {
    BrokerAddress address();

    /** A short name for what runs: {@code embedded (HiveMQ CE)} or {@code mosquitto 2.0.11}. */
    String description();

    @Override
    void close();
}
