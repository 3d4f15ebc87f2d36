package io.wave.agent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.wave.agent.client.AgentApi;
import io.wave.agent.client.AgentClient;
import io.wave.agent.daemon.Agent;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.SecretBox;
import io.wave.ledger.embedded.EmbeddedLedger;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code POST /v1/verify} over HTTP against a real agent (embedded ledger, loopback), with a load generator in
 * the same JVM over keep-alive connections. Four phases, side by side in one run:
 * <ul>
 *   <li>{@code warm}: the same proof and request again and again, answered from the verdict cache, closed loop
 *       (each connection sends its next request when the previous answer is in): the most the agent answers;</li>
 *   <li>{@code warm_at_target_rate}: the same requests offered open loop at the target rate (5,000 per second),
 *       latency timed from when each request was due: the latency a service sees at that load;</li>
 *   <li>{@code miss}: the same proof for a different resource each time, cycling through more resources than the
 *       cache holds, so every request is decoded and evaluated in full (verified attestations stay cached by id,
 *       revocations are read from the ledger);</li>
 *   <li>{@code http_floor}: the same warm requests to a bare Javalin route on the same machine that reads the
 *       body and answers a fixed verdict: what HTTP, Jetty and the load generator cost by themselves.</li>
 * </ul>
 * The proof is a two-hop delegation (namespace, manager, device). Latency is measured by the load generator,
 * from writing a request to reading its whole answer. {@code cpu_us_per_request} is the CPU time the whole
 * process (agent, load generator, GC) spent per request, which a busy shared machine does not inflate the way it
 * inflates wall-clock figures.
 */
public final class AgentBench {
    /** Connections the load generator keeps open: enough to keep two cores busy through each round trip. */
    static final int CONNECTIONS = 8;
    /** Distinct requests in the miss phase: twice the verdict cache, so a cyclic walk never hits. */
    static final int MISS_RESOURCES = 20_000;
    /** Load before anything is measured. */
    static final long WARMUP_MILLIS = 20_000;
    /** Warm-up goes on past {@link #WARMUP_MILLIS} until the rate settles, for at most this long. */
    static final long WARMUP_MAX_MILLIS = 90_000;
    /** The issue's target rate: the open-loop phase offers exactly this many requests per second. */
    static final int TARGET_PER_SECOND = 5_000;
    /** Latencies kept per connection per phase at most. */
    private static final int MAX_SAMPLES = 1 << 18;

    private AgentBench() {}

    public static Map<String, Object> run(boolean quick) {
        Path work;
        try {
            work = Files.createTempDirectory("wave-bench-agent");
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "no scratch directory: " + e.getMessage());
        }
        try (EmbeddedLedger ledger = EmbeddedLedger.open(work.resolve("ledger"), Clock.systemUTC());
             Agent agent = Agent.start(c -> {
                 c.home = work.resolve("agent");
                 c.ledger = ledger;
                 c.passphrase = "bench".toCharArray();
                 c.port = 0;
                 // Sealing the keystore is not what is measured: the lightest allowed Argon2id.
                 c.kdf = new SecretBox.KdfParams(SecretBox.MIN_MEMORY_KIB, 1, 1);
             })) {
            String token = Files.readString(agent.tokenFile()).strip();
            AgentClient client = AgentClient.of(agent.uri(), token);
            String ns = client.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String manager = client.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String device = client.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            client.grant(new AgentApi.GrantRequest(ns, manager, List.of("device:read@" + ns + "/building1/*"), 1, null, null));
            client.grant(new AgentApi.GrantRequest(manager, device, List.of("device:read@" + ns + "/building1/*"), 0, null,
                    null));
            String policy = "device:read@" + ns + "/building1/lamp";
            String proof = client.prove(device, List.of(policy)).path("der").asText();

            ObjectMapper json = AgentApi.mapper(false);
            Requests warm = n -> body(json, proof, policy, device);
            Requests miss = n -> body(json, proof, "device:read@" + ns + "/building1/lamp" + (n % MISS_RESOURCES), device);
            // Both kinds first, until the rate settles (the JIT compiling the whole path: Jetty, Javalin, Jackson,
            // the verifier); then the phases interleaved, round by round, so that what the machine does meanwhile
            // falls on all alike.
            Requests mixed = n -> n % 2 == 0 ? warm.body(n) : miss.body(n);
            long warmedMillis = 1_000;
            if (quick) {
                phase(agent.port(), mixed, warmedMillis, 0);
            } else {
                warmedMillis = warmUp(agent.port(), mixed, WARMUP_MILLIS);
            }
            int rounds = quick ? 1 : 5;
            long roundMillis = quick ? 1_000 : 3_000;
            List<Phase> warmRounds = new ArrayList<>();
            List<Phase> ratedRounds = new ArrayList<>();
            List<Phase> missRounds = new ArrayList<>();
            List<Phase> floorRounds = new ArrayList<>();
            byte[] answer = client.verify(proof, List.of(policy), device).toString().getBytes(StandardCharsets.UTF_8);
            Javalin floor = Javalin.create(c -> {
                c.showJavalinBanner = false;
                c.startupWatcherEnabled = false;
                c.jetty.defaultHost = "127.0.0.1";
                c.jetty.defaultPort = 0;
                c.router.mount(r -> r.post("/v1/verify", ctx -> {
                    ctx.bodyAsBytes();
                    ctx.contentType("application/json").result(answer);
                }));
            }).start();
            try {
                phase(floor.port(), warm, quick ? 500 : WARMUP_MILLIS / 4, 0);
                if (!quick) {
                    warmedMillis += warmUp(agent.port(), warm, 2_000); // the JIT compiled the floor's path last: the agent's again
                }
                for (int r = 0; r < rounds; r++) {
                    warmRounds.add(phase(agent.port(), warm, roundMillis, 0));
                    ratedRounds.add(phase(agent.port(), warm, roundMillis, TARGET_PER_SECOND));
                    missRounds.add(phase(agent.port(), miss, roundMillis, 0));
                    floorRounds.add(phase(floor.port(), warm, roundMillis, 0));
                }
            } finally {
                floor.stop();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connections", CONNECTIONS);
            m.put("proof_hops", 2);
            m.put("proof_bytes", Base64.getDecoder().decode(proof).length);
            m.put("rounds", rounds);
            m.put("warmup_seconds", warmedMillis / 1000);
            m.put("warm", summary(warmRounds));
            Map<String, Object> rated = summary(ratedRounds);
            rated.remove("per_second_if_2_cores_free");
            rated.put("offered_per_second", TARGET_PER_SECOND);
            m.put("warm_at_target_rate", rated);
            m.put("miss", summary(missRounds));
            m.put("http_floor", summary(floorRounds));
            m.put("warm_over_floor_cpu", Timing.round2(median(warmRounds, Phase::cpuMicrosPerRequest)
                    / median(floorRounds, Phase::cpuMicrosPerRequest)));
            m.put("load_average", loadAverage());
            m.put("target", Map.of("per_second", 5000, "p99_ms", 5));
            return m;
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "bench agent: " + e.getMessage());
        } finally {
            deleteTree(work);
        }
    }

    /**
     * Load until the process is warm: at least {@code minMillis}, then on in 2 s slices until two slices
     * in a row agree within 5% (the JIT has compiled the path and the rate has settled), for at most
     * {@link #WARMUP_MAX_MILLIS}. On two busy cores the JIT competes with the load, and a fixed warm-up left
     * the first measured rounds still climbing. Returns how long it took.
     */
    private static long warmUp(int port, Requests requests, long minMillis) {
        long t0 = System.nanoTime();
        phase(port, requests, minMillis, 0);
        double last = phase(port, requests, 2_000, 0).perSecond();
        while ((System.nanoTime() - t0) / 1_000_000 < WARMUP_MAX_MILLIS) {
            double now = phase(port, requests, 2_000, 0).perSecond();
            boolean settled = Math.abs(now - last) <= 0.05 * Math.max(now, last);
            last = now;
            if (settled) {
                break;
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static byte[] body(ObjectMapper json, String proof, String policy, String subject) {
        try {
            return json.writeValueAsBytes(new AgentApi.VerifyRequest(proof, List.of(policy), subject));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Requests by number: the n-th request a connection sends. */
    private interface Requests {
        byte[] body(long n);
    }

    /** One timed run: its requests per second and every latency, sorted. */
    private record Phase(double perSecond, long[] sortedNanos, double cpuMicrosPerRequest) {}

    /**
     * Runs the load for {@code runMillis}. With {@code offeredPerSecond} 0 it is closed-loop: each
     * connection sends its next request as soon as the answer to the last is in (the most the agent
     * answers), and latency runs from writing a request to reading its answer. Otherwise it is open-loop:
     * request k of the whole run is due at k / offeredPerSecond seconds, each connection sends its share
     * when due, and latency runs from when the request was due, so a stall counts against every request
     * that queued behind it (no coordinated omission).
     */
    private static Phase phase(int port, Requests requests, long runMillis, int offeredPerSecond) {
        long start = System.nanoTime() + 50_000_000L; // every connection open before the first request is due
        AtomicBoolean recording = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean();
        long[][] samples = new long[CONNECTIONS][];
        int[] counts = new int[CONNECTIONS];
        String[] failures = new String[CONNECTIONS];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            int conn = c;
            samples[c] = new long[MAX_SAMPLES];
            Thread t = new Thread(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
                    byte[] head = ("POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
                    for (long n = conn; !stop.get(); n += CONNECTIONS) {
                        byte[] body = requests.body(n);
                        byte[] req = concat(head, (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
                        long t0 = System.nanoTime();
                        if (offeredPerSecond > 0) {
                            long due = start + n * 1_000_000_000L / offeredPerSecond;
                            while (t0 < due && !stop.get()) {
                                java.util.concurrent.locks.LockSupport.parkNanos(due - t0);
                                t0 = System.nanoTime();
                            }
                            t0 = due;
                        }
                        out.write(req);
                        out.flush();
                        String answer = readAnswer(in);
                        long dt = System.nanoTime() - t0;
                        if (!answer.contains("\"valid\":true")) {
                            throw new IllegalStateException("not a valid verdict: " + answer);
                        }
                        if (recording.get() && counts[conn] < MAX_SAMPLES) {
                            samples[conn][counts[conn]++] = dt;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    failures[conn] = e.toString();
                }
            }, "bench-agent-load-" + c);
            t.start();
            threads.add(t);
        }
        long measured;
        long cpu0;
        long cpu;
        try {
            long wait = start - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            }
            cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            recording.set(true);
            Thread.sleep(runMillis);
            recording.set(false);
            measured = System.nanoTime() - t0;
            cpu = processCpuNanos() - cpu0;
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        for (String f : failures) {
            if (f != null) {
                throw new IllegalStateException("load generator failed: " + f);
            }
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int k = 0;
        for (int c = 0; c < CONNECTIONS; c++) {
            System.arraycopy(samples[c], 0, all, k, counts[c]);
            k += counts[c];
        }
        Arrays.sort(all);
        return new Phase(total / (measured / 1e9), all, total == 0 ? Double.NaN : cpu / 1e3 / total);
    }

    /** The median round's rate, and latency percentiles over every request of every round. */
    private static Map<String, Object> summary(List<Phase> rounds) {
        double[] rates = rounds.stream().mapToDouble(Phase::perSecond).toArray();
        long[] all = rounds.stream().flatMapToLong(p -> Arrays.stream(p.sortedNanos())).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", all.length);
        m.put("per_second", Math.round(Timing.median(rates)));
        m.put("per_second_rounds", Arrays.stream(rates).mapToLong(Math::round).boxed().toList());
        m.put("p50_ms", Timing.round3(percentile(all, 0.50) / 1e6));
        m.put("p99_ms", Timing.round3(percentile(all, 0.99) / 1e6));
        m.put("p99_ms_rounds", rounds.stream().map(p -> Timing.round3(percentile(p.sortedNanos(), 0.99) / 1e6)).toList());
        m.put("max_ms", Timing.round3((all.length == 0 ? 0 : all[all.length - 1]) / 1e6));
        double cpuMicros = Timing.median(rounds.stream().mapToDouble(Phase::cpuMicrosPerRequest).toArray());
        m.put("cpu_us_per_request", Timing.round2(cpuMicros));
        // What the CPU this process spent buys on two cores of its own: the figure that survives a shared machine.
        m.put("per_second_if_2_cores_free", Math.round(2e6 / cpuMicros));
        return m;
    }

    /** CPU time of this whole process (agent, load generator, GC), or 0 where the JVM does not say. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static double median(List<Phase> rounds, java.util.function.ToDoubleFunction<Phase> f) {
        return Timing.median(rounds.stream().mapToDouble(f).toArray());
    }

    /** The machine's 1-minute load average while the bench ran (-1 where the OS does not say). */
    private static double loadAverage() {
        return Timing.round2(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int k = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }

    /** Reads one HTTP/1.1 answer with a Content-Length; returns its status line and body. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder(256);
        int prev3 = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the agent closed the connection");
            }
            headers.append((char) b);
            prev3 = (prev3 << 8 | b) & 0xffffffff;
            if (prev3 == 0x0d0a0d0a) {
                break;
            }
        }
        String h = headers.toString();
        if (!h.startsWith("HTTP/1.1 200")) {
            throw new IOException("answer: " + h.lines().findFirst().orElse(""));
        }
        int length = -1;
        for (String line : h.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        if (length < 0) {
            throw new IOException("an answer without Content-Length");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // scratch space only
        }
    }
}
