package io.wave.device.broker;

import io.wave.device.BrokerAddress;

/** An MQTT broker this process started, on loopback; closing it stops it and frees its port. */
public interface Broker extends AutoCloseable {
    BrokerAddress address();

    /** A short name for what runs: {@code embedded (HiveMQ CE)} or {@code mosquitto 2.0.11}. */
    String description();

    /**
     * CPU time the broker's own process has used so far, when it runs in one (Mosquitto); empty for a broker
     * inside this JVM. For benchmarks that account for the whole machine.
     */
    default java.util.Optional<java.time.Duration> processCpu() {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
