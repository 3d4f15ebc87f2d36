package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code wave ... serve} verb as a real process, on this test's class path, with {@code WAVE_HOME} and
 * the temporary directory under {@code dir}: started, its URL read from its first line, and stopped.
 */
final class ServerProcess implements AutoCloseable {
    final Process process;
    final URI url;

    private ServerProcess(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /** Starts {@code wave ARGS...} and waits up to a minute for the URL it prints first. */
    static ServerProcess start(Path dir, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                "io.wave.agent.cli.WaveCli"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("WAVE_HOME", dir.resolve("server-home").toString());
        Path err = dir.resolve("server.err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("http://127.0.0.1:")) {
            p.destroyForcibly();
        }
        assertTrue(line != null && line.startsWith("http://127.0.0.1:"), () -> "first line: " + line + "\nstderr: " + read(err));
        return new ServerProcess(p, URI.create(line.strip()));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(unreadable)";
        }
    }

    /** Sends SIGTERM and waits for the process to end. */
    boolean terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
