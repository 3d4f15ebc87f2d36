package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code wave agent} as a real child process on a free port, over an embedded ledger of its own, and a small
 * HTTP driver for it. The first line the agent prints is its URL.
 */
final class AgentProcess implements AutoCloseable {
    static final String PASSPHRASE = "correct horse battery staple";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Process process;
    final URI url;
    final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Answer(int status, JsonNode body, String text) {}

    private AgentProcess(Process process, URI url, String token) {
        this.process = process;
        this.url = url;
        this.token = token;
    }

    /** Starts an agent with its home and ledger under {@code dir} (the same ones again on a restart). */
    static AgentProcess start(Path dir) throws Exception {
        return start(dir, "embedded:" + dir.resolve("ledger"));
    }

    /** Starts an agent with its home under {@code dir}, over the ledger at {@code ledger}. */
    static AgentProcess start(Path dir, String ledger) throws Exception {
        Files.createDirectories(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                "io.wave.agent.cli.WaveCli", "agent", "--home", dir.resolve("agent").toString(), "--ledger",
                ledger, "--http", "127.0.0.1:0");
        pb.environment().put("WAVE_HOME", dir.resolve("home").toString());
        pb.environment().put("WAVE_PASSPHRASE", PASSPHRASE);
        pb.environment().remove("WAVE_AGENT");
        pb.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.err").toFile()));
        Process p = pb.start();
        String line = firstLine(p);
        assertTrue(line != null && line.startsWith("http://127.0.0.1:"), () -> "first line: " + line + "\nstderr: "
                + read(dir.resolve("agent.err")));
        String token = Files.readString(dir.resolve("agent").resolve("api-token")).strip();
        return new AgentProcess(p, URI.create(line.strip()), token);
    }

    /** The first line a child process prints, waiting at most a minute (a JVM starting on a busy machine). */
    private static String firstLine(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(none)";
        }
    }

    Answer get(String path) throws Exception {
        return get(path, null);
    }

    /** A GET with this Authorization header (none when null). */
    Answer get(String path, String authorization) throws Exception {
        return send(HttpRequest.newBuilder(url.resolve(path)).GET(), authorization);
    }

    /** A POST with the API token. */
    Answer post(String path, String json) throws Exception {
        return post(path, json, "Bearer " + token);
    }

    /** A POST with this Authorization header (none when null). */
    Answer post(String path, String json, String authorization) throws Exception {
        return send(HttpRequest.newBuilder(url.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"), authorization);
    }

    private Answer send(HttpRequest.Builder b, String authorization) throws Exception {
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = null;
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("application/json")) {
            body = JSON.readTree(r.body());
        }
        return new Answer(r.statusCode(), body, r.body());
    }

    /** SIGTERM, and wait for the process to end. */
    boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGKILL, and wait for the process to end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            kill();
        }
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
