package io.wave.device.broker;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.device.BrokerAddress;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto broker (the Debian package's {@code mosquitto}) started as a child process on a loopback
 * port, with its own configuration, persistence file and log in a temporary directory. It can be stopped
 * and started again on the same port with its persisted sessions, which is how tests restart a broker
 * under a running device.
 */
public final class MosquittoBroker implements Broker {
    /** Where Debian installs it; PATH is searched too. */
    static final List<String> LOCATIONS = List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto");
    static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path executable;
    private final Path dir;
    private final int port;
    private final BrokerAddress address;
    private Process process;

    private MosquittoBroker(Path executable, Path dir, int port) {
        this.executable = executable;
        this.dir = dir;
        this.port = port;
        this.address = BrokerAddress.parse("tcp://127.0.0.1:" + port);
    }

    /** The mosquitto executable, if this machine has one. */
    public static Optional<Path> find() {
        for (String l : LOCATIONS) {
            Path p = Path.of(l);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                Path p = Path.of(d, "mosquitto");
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Starts mosquitto on a free loopback port.
     *
     * @throws WaveException NOT_FOUND when mosquitto is not installed ({@code apt-get install mosquitto}),
     *     UNAVAILABLE when it does not come up
     */
    public static MosquittoBroker start() {
        Path exe = find().orElseThrow(() -> new WaveException(ErrorCode.NOT_FOUND,
                "mosquitto is not installed (Debian: apt-get install -y mosquitto)"));
        Path dir;
        try {
            dir = Files.createTempDirectory("wave-mosquitto-");
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot prepare mosquitto: " + e.getMessage(), e);
        }
        MosquittoBroker b = new MosquittoBroker(exe, dir, Ports.free());
        try {
            b.writeConfig();
            b.startProcess();
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    private void writeConfig() {
        try {
            Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "persistence true",
                    "persistence_location " + dir + "/",
                    "autosave_interval 1",
                    // A device's replies and a load run's commands keep many QoS 1 messages in flight.
                    "max_inflight_messages 1000",
                    "max_queued_messages 100000",
                    // Small request/response messages: do not hold them back for Nagle's algorithm.
                    "set_tcp_nodelay true",
                    "log_dest file " + dir.resolve("mosquitto.log"),
                    ""));
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot write mosquitto.conf: " + e.getMessage(), e);
        }
    }

    @Override
    public java.util.Optional<java.time.Duration> processCpu() {
        Process p = process;
        return p == null ? java.util.Optional.empty() : p.info().totalCpuDuration();
    }

    private void startProcess() {
        try {
            process = new ProcessBuilder(executable.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new WaveException(ErrorCode.UNAVAILABLE, "cannot run " + executable + ": " + e.getMessage(), e);
        }
        if (!Ports.awaitListening(port, START_TIMEOUT, process)) {
            String log = "";
            try {
                log = Files.readString(dir.resolve("stdout.log")).strip();
            } catch (IOException ignored) {
                // Best effort.
            }
            stopProcess();
            throw new WaveException(ErrorCode.UNAVAILABLE, "mosquitto did not listen on 127.0.0.1:" + port
                    + (log.isEmpty() ? "" : ": " + log.lines().reduce((a, b) -> b).orElse("")));
        }
    }

    /** Stops the broker (SIGTERM, so it saves its persistence file); {@link #restart()} brings it back. */
    public synchronized void stop() {
        stopProcess();
    }

    /** Starts it again on the same port with what it persisted. */
    public synchronized void restart() {
        if (process != null && process.isAlive()) {
            stopProcess();
        }
        startProcess();
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public BrokerAddress address() {
        return address;
    }

    @Override
    public String description() {
        return "mosquitto (" + executable + ")";
    }

    @Override
    public synchronized void close() {
        stopProcess();
        EmbeddedBroker.delete(dir);
    }
}
