package io.wave.testnet.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wave.agent.bench.Timing;
import io.wave.agent.bench.VerifyBench;
import io.wave.agent.cli.CliContext;
import io.wave.agent.cli.CliExtension;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.policy.GrantCache;
import io.wave.policy.ProofVerifier;
import io.wave.policy.Request;
import io.wave.policy.RevocationView;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * {@code wave bench compare}: on delegation chains of 1 to 8 hops, in one JVM and one run, the time a
 * verifier takes to accept a WAVE proof (cold and warm, as {@code wave bench verify} means them), a
 * Biscuit token of as many blocks ({@link Biscuits}) and an X.509 path of as many certificates
 * ({@link X509Paths}), each next to the raw Ed25519 cost of that many signatures; and their sizes. The five
 * checks are timed interleaved in every round ({@link Timing#rounds}), after each is warmed up, and
 * every timed call must be an acceptance: a refusal stops the run. It writes the figures as JSON and a
 * chart beside it ({@link #outputDirectory}).
 */
public final class CompareBench implements CliExtension.Bench {
    /** Where the JSON and the chart go, when set: a directory. */
    public static final String OUT_ENV = "WAVE_BENCH_OUT";
    static final String JSON_FILE = "compare.json";
    static final String SVG_FILE = "compare.svg";
    static final int[] HOPS = {1, 2, 3, 4, 5, 6, 7, 8};
    /** The systems, as the JSON's fields and the chart's series name them. */
    static final List<String> SYSTEMS = List.of("wave_cold", "wave_warm", "biscuit", "x509", "ed25519_limit");
    /** The target: a warm WAVE proof at least this many times faster than either other system. */
    static final double WARM_TARGET = 20;

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String description() {
        return "WAVE proofs (cold, warm) beside Biscuit tokens and X.509 paths of 1 to 8 hops, and raw Ed25519";
    }

    @Override
    public Object run(CliContext context, boolean quick) {
        // "Cold" means first sight: no comb tables for keys verified often (see HotKeys), which the libraries
        // compared here do not have either.
        boolean hotKeys = io.wave.crypto.internal.HotKeys.enabled();
        io.wave.crypto.internal.HotKeys.enabled(false);
        try {
            return measureAll(context, quick);
        } finally {
            io.wave.crypto.internal.HotKeys.enabled(hotKeys);
        }
    }

    private Object measureAll(CliContext context, boolean quick) {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int rounds = quick ? 5 : 21;
        double roundMicros = quick ? 5_000 : 20_000;
        long warmMillis = quick ? 100 : 600;
        long jitMillis = quick ? 200 : 3_000;
        // The JIT first, on the longest chains: the libraries' code (Biscuit's pure-Java Ed25519 above all)
        // takes seconds to reach its steady speed, which a warm-up per hop count alone would not give it.
        for (Runnable op : checks(HOPS[HOPS.length - 1], context.random()).ops()) {
            Timing.warm(op, jitMillis);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int hops : HOPS) {
            rows.add(measure(hops, context.random(), rounds, roundMicros, warmMillis));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hops", rows);
        m.put("summary", summary(rows));
        m.put("systems", systems());
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("rounds", rounds);
        method.put("round_ms", roundMicros / 1000);
        method.put("jit_warmup_ms_per_check", jitMillis);
        method.put("warmup_ms_per_check_and_hop_count", warmMillis);
        method.put("hot_key_tables", false);
        method.put("figures", "microseconds per check: median (and p90) over rounds of the mean time per check in "
                + "that round; the five checks interleaved in every round");
        m.put("method", method);
        m.put("machine", machine(context, loadBefore));
        Path dir = outputDirectory(context.env(), quick);
        if (dir != null) {
            write(dir, m, quick);
            m.put("written", List.of(dir.resolve(JSON_FILE).toString(), dir.resolve(SVG_FILE).toString()));
        }
        return m;
    }

    /** The five checks of one hop count, each proven to accept, in {@link #SYSTEMS} order, and the sizes. */
    private record Checks(Runnable[] ops, int proofBytes, int biscuitBytes, int x509Bytes) {}

    private static Checks checks(int hops, SecureRandom random) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Instant notBefore = NOW.minusSeconds(3600);
        Duration lifetime = Duration.ofDays(30);

        VerifyBench.Chain c = VerifyBench.chain(hops, random, Validity.startingAt(notBefore, lifetime.toSeconds()));
        byte[] proof = c.proof().encoded();
        Request request = new Request(List.of(c.policy()), c.subject(), null);
        // A device-side view: the revocations seen on the ledger, in memory (none of this chain's).
        Set<RevocationCommitment> revoked = ConcurrentHashMap.newKeySet();
        RevocationView view = cm -> revoked.contains(cm) ? RevocationView.Status.REVOKED
                : RevocationView.Status.NOT_REVOKED;
        ProofVerifier cold = ProofVerifier.create(clock, view);
        ProofVerifier warm = ProofVerifier.create(clock, view).withCache(new GrantCache(GrantCache.DEFAULT_CAPACITY));

        Biscuits.Token token = Biscuits.chain(hops, random, notBefore.plus(lifetime));
        byte[] tokenBytes = token.bytes();
        Biscuits.Service service = new Biscuits.Service(token.root(), Set.of(), NOW, Biscuits.RESOURCE,
                Biscuits.OPERATION);

        X509Paths.Path path = X509Paths.chain(hops, random, notBefore, lifetime);
        List<byte[]> pathDer = path.der();
        X509Paths.Validator validator = new X509Paths.Validator(path.root(), NOW, X509Paths.LEAF_NAME);

        Runnable[] ops = {
            accepting("WAVE proof (cold)", () -> cold.verify(proof, request).valid()),
            accepting("WAVE proof (warm)", () -> warm.verify(c.proof(), request).valid()),
            accepting("Biscuit token", () -> biscuitAllows(service, tokenBytes)),
            accepting("X.509 path", () -> validator.valid(pathDer)),
            VerifyBench.ed25519Limit(hops, c.attestationBytes(), random),
        };
        for (Runnable op : ops) {
            op.run(); // a refusal here means the benchmark is wrong, not slow
        }
        return new Checks(ops, proof.length, tokenBytes.length, path.pathBytes());
    }

    /** One hop count: the five checks warmed, then timed side by side. */
    private static Map<String, Object> measure(int hops, SecureRandom random, int rounds, double roundMicros,
            long warmMillis) {
        Checks checks = checks(hops, random);
        Runnable[] ops = checks.ops();
        for (Runnable op : ops) {
            Timing.warm(op, warmMillis);
        }
        double[][] per = Timing.rounds(rounds, roundMicros, ops);

        Map<String, Object> row = new LinkedHashMap<>();
        row.put("hops", hops);
        row.put("signatures", hops);
        double[] med = new double[ops.length];
        for (int i = 0; i < ops.length; i++) {
            med[i] = Timing.median(per[i]);
            row.put(SYSTEMS.get(i) + "_us", Timing.round2(med[i]));
            row.put(SYSTEMS.get(i) + "_p90_us", Timing.round2(Timing.percentile(per[i], 90)));
        }
        row.put("wave_proof_bytes", checks.proofBytes());
        row.put("biscuit_bytes", checks.biscuitBytes());
        row.put("x509_bytes", checks.x509Bytes());
        row.put("biscuit_over_wave_cold", Timing.round2(med[2] / med[0]));
        row.put("x509_over_wave_cold", Timing.round2(med[3] / med[0]));
        row.put("biscuit_over_wave_warm", Timing.round2(med[2] / med[1]));
        row.put("x509_over_wave_warm", Timing.round2(med[3] / med[1]));
        row.put("wave_cold_over_limit", Timing.round2(med[0] / med[4]));
        return row;
    }

    /** An op that runs {@code check} and stops the benchmark if it ever refuses. */
    private static Runnable accepting(String what, BooleanSupplier check) {
        return () -> {
            if (!check.getAsBoolean()) {
                throw new IllegalStateException(what + " refused: the benchmark would time a refusal");
            }
            Timing.sink++;
        };
    }

    /**
     * The Biscuit check, where an evaluation cut short by the run limits' clock says so rather than passing
     * for a refusal of the token. With {@link Biscuits#LIMITS} that takes a stall of minutes.
     */
    static boolean biscuitAllows(Biscuits.Service service, byte[] token) {
        Biscuits.Outcome outcome = service.check(token);
        if (outcome == Biscuits.Outcome.TIMED_OUT) {
            throw new IllegalStateException("Biscuit token undecided: the authorizer's run-time limit ran out "
                    + "(the machine stalled); not a refusal");
        }
        return outcome == Biscuits.Outcome.ALLOWED;
    }

    /** Whether the targets held, at every depth, with the smallest margins. */
    static Map<String, Object> summary(List<Map<String, Object>> rows) {
        double minBiscuitCold = Double.MAX_VALUE;
        double minX509Cold = Double.MAX_VALUE;
        double minBiscuitWarm = Double.MAX_VALUE;
        double minX509Warm = Double.MAX_VALUE;
        for (Map<String, Object> r : rows) {
            minBiscuitCold = Math.min(minBiscuitCold, (Double) r.get("biscuit_over_wave_cold"));
            minX509Cold = Math.min(minX509Cold, (Double) r.get("x509_over_wave_cold"));
            minBiscuitWarm = Math.min(minBiscuitWarm, (Double) r.get("biscuit_over_wave_warm"));
            minX509Warm = Math.min(minX509Warm, (Double) r.get("x509_over_wave_warm"));
        }
        boolean cold = minBiscuitCold > 1 && minX509Cold > 1;
        boolean warm = minBiscuitWarm >= WARM_TARGET && minX509Warm >= WARM_TARGET;
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("cold_faster_than_biscuit_and_x509_at_every_depth", cold);
        s.put("warm_at_least_20x_faster_than_biscuit_and_x509_at_every_depth", warm);
        s.put("targets_met", cold && warm);
        s.put("min_biscuit_over_wave_cold", minBiscuitCold);
        s.put("min_x509_over_wave_cold", minX509Cold);
        s.put("min_biscuit_over_wave_warm", minBiscuitWarm);
        s.put("min_x509_over_wave_warm", minX509Warm);
        return s;
    }

    /** What each system's figure includes: the same words the docs use. */
    private static Map<String, Object> systems() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("wave_cold", "proof bytes in, nothing cached: decode, hash every object, check one Ed25519 signature per "
                + "attestation, chain, indirections, validity, revocation (in-memory view) and policy");
        s.put("wave_warm", "the proof as a device holds it after first sight, its verified attestations and analysis "
                + "cached by id: subject, validity, revocation and policy still evaluated on every call");
        s.put("biscuit", "biscuit-java " + version("org.biscuitsec", "biscuit") + " (Ed25519 by net.i2p eddsa): token "
                + "bytes in: parse, check every block's signature from the root key, revocation ids against an "
                + "in-memory set, authorize (resource, operation, time facts; allow if right($op), operation($op); "
                + "run limits 1000 facts, 100 iterations); "
                + "1 authority + hops-1 attenuation blocks");
        s.put("x509", "Bouncy Castle " + X509Paths.BC.getVersionStr() + " PKIX: DER bytes in: parse every "
                + "certificate, validate the path from the root (trust anchor): signatures, validity, basic "
                + "constraints and path length, key usage, name constraints; then the leaf's DNS name. revocation: off "
                + "(no CRL or OCSP). hops-1 intermediate CAs + end entity; bytes without the root");
        s.put("ed25519_limit", "hops raw Ed25519 verifications (Bouncy Castle), messages the size of an attestation");
        return s;
    }

    private static Map<String, Object> machine(CliContext context, double loadBefore) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", context.clock().instant().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("load_average_before", Timing.round2(loadBefore));
        m.put("load_average_after",
                Timing.round2(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: said below
        }
        return "unknown";
    }

    /** A library's version from the Maven metadata in its jar. */
    private static String version(String group, String artifact) {
        String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = CompareBench.class.getResourceAsStream(res)) {
            if (in == null) {
                return "?";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Where the JSON and the chart are written: {@code $WAVE_BENCH_OUT} when set; else, for a full run,
     * {@code docs/bench} of the checkout {@code ./wave} runs from ({@code $WAVE_REPO}), or of the working
     * directory. A {@code --quick} run writes only where {@code $WAVE_BENCH_OUT} says (null: nowhere), so
     * that smoke figures never replace the ones the README shows.
     */
    static Path outputDirectory(Function<String, String> env, boolean quick) {
        String out = env.apply(OUT_ENV);
        if (out != null && !out.isBlank()) {
            return Path.of(out);
        }
        if (quick) {
            return null;
        }
        String repo = env.apply("WAVE_REPO");
        Path base = repo == null || repo.isBlank() ? Path.of("") : Path.of(repo);
        return base.resolve("docs").resolve("bench").toAbsolutePath();
    }

    /** The figures as {@code --json} prints them (with the same envelope), and the chart of them. */
    private static void write(Path dir, Map<String, Object> results, boolean quick) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("bench", "compare");
        doc.put("quick", quick);
        doc.put("java", System.getProperty("java.version"));
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("results", results);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(JSON_FILE), JSON.writeValueAsString(doc) + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(SVG_FILE), chart(results, quick), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot write the benchmark's figures to " + dir + ": "
                    + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    static String chart(Map<String, Object> results, boolean quick) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) results.get("hops");
        Map<String, Object> machine = (Map<String, Object>) results.get("machine");
        Map<String, Object> method = (Map<String, Object>) results.get("method");
        int[] xs = rows.stream().mapToInt(r -> (Integer) r.get("hops")).toArray();
        String[] names = {"WAVE proof, cold", "WAVE proof, warm", "Biscuit token", "X.509 path (PKIX)",
            "Ed25519 limit"};
        String[] colors = {"#1f5fbf", "#2e9e4f", "#d9731a", "#b8322a", "#777777"};
        List<SvgChart.Series> series = new ArrayList<>();
        for (int i = 0; i < SYSTEMS.size(); i++) {
            String field = SYSTEMS.get(i) + "_us";
            double[] ys = rows.stream().mapToDouble(r -> ((Number) r.get(field)).doubleValue()).toArray();
            series.add(new SvgChart.Series(names[i], colors[i], i == SYSTEMS.size() - 1, ys));
        }
        List<String> caption = List.of(
                "Median of " + method.get("rounds") + " rounds per point, the five checks interleaved in every round; "
                        + "one JVM, one run" + (quick ? " (--quick: a smoke run, not figures to quote)." : "."),
                "Revocation: WAVE against an in-memory view, Biscuit ids against an in-memory set, X.509 off (no CRL "
                        + "or OCSP).",
                machine.get("cpu") + ", " + machine.get("cores") + " cores, Java " + machine.get("java") + ", load "
                        + machine.get("load_average_before") + ", " + machine.get("date") + ".",
                "Regenerate: ./wave bench compare --json");
        return SvgChart.render("Verifying a delegation chain: latency by chain length", "chain length (hops = "
                + "signatures checked)", "latency per check (log scale)", xs, series, caption);
    }
}
