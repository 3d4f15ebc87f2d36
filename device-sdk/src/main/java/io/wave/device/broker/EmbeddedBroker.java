package io.wave.device.broker;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.device.BrokerAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The zero-setup broker: HiveMQ Community Edition, embedded in this JVM, speaking MQTT 3.1.1 and 5 on
 * 127.0.0.1. Sessions and queued messages are kept in memory (a restart loses them), usage statistics
 * are off (the machine may have no network, and nothing should be sent anywhere), and its files live in
 * a temporary directory removed on close.
 */
public final class EmbeddedBroker implements Broker {
    private final EmbeddedHiveMQ hivemq;
    private final Path dir;
    private final BrokerAddress address;

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, Path dir, int port) {
        this.hivemq = hivemq;
        this.dir = dir;
        this.address = BrokerAddress.parse("tcp://127.0.0.1:" + port);
    }

    /** Starts on a free loopback port. */
    public static EmbeddedBroker start() {
        return start(0);
    }

    /**
     * Starts on 127.0.0.1:{@code port} (0 for a free one).
     *
     * @throws WaveException UNAVAILABLE when it does not start (port taken, say)
     */
    public static EmbeddedBroker start(int port) {
        int p = port == 0 ? Ports.free() : port;
        Path dir;
        try {
            dir = Files.createTempDirectory("wave-broker-");
            Path conf = Files.createDirectories(dir.resolve("conf"));
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("extensions"));
            Files.writeString(conf.resolve("config.xml"), """
                    <?xml version="1.0"?>
                    <hivemq>
                      <listeners>
                        <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                      </listeners>
                      <persistence><mode>in-memory</mode></persistence>
                      <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                    </hivemq>
                    """.formatted(p));
            // HiveMQ logs through logback at INFO to stdout by default; a broker inside a CLI or a gateway
            // should speak only when something is wrong, and on stderr.
            Files.writeString(conf.resolve("logback.xml"), """
                    <configuration>
                      <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
                      <appender name="err" class="ch.qos.logback.core.ConsoleAppender">
                        <target>System.err</target>
                        <encoder><pattern>broker: %-5level %msg%n</pattern></encoder>
                      </appender>
                      <root level="WARN"><appender-ref ref="err"/></root>
                    </configuration>
                    """);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot prepare the embedded broker: " + e.getMessage(), e);
        }
        EmbeddedHiveMQ h = EmbeddedHiveMQ.builder().withConfigurationFolder(dir.resolve("conf"))
                .withDataFolder(dir.resolve("data")).withExtensionsFolder(dir.resolve("extensions")).build();
        try {
            h.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            closeQuietly(h);
            delete(dir);
            throw new WaveException(ErrorCode.UNAVAILABLE, "the embedded broker did not start on 127.0.0.1:" + p
                    + ": " + rootMessage(e), e);
        }
        return new EmbeddedBroker(h, dir, p);
    }

    @Override
    public BrokerAddress address() {
        return address;
    }

    @Override
    public String description() {
        return "embedded (HiveMQ CE)";
    }

    @Override
    public void close() {
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // Closing anyway.
        }
        closeQuietly(hivemq);
        delete(dir);
    }

    private static void closeQuietly(EmbeddedHiveMQ h) {
        try {
            h.close();
        } catch (Exception ignored) {
            // Nothing more to release.
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }
}
