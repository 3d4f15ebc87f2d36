package io.wave.testnet.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.agent.cli.CliContext;
import io.wave.agent.cli.WaveCli;
import io.wave.crypto.testing.DeterministicRandom;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wave bench compare}'s output is a contract (the README's chart and the docs read it); its figures
 * are not asserted, since speed is measured by running it, not by timed unit tests.
 */
class CompareBenchTest {
    @TempDir
    Path dir;

    @Test
    void quickRun_reportsEveryHopAndEverySystem_andWritesTheJsonAndTheChart() throws Exception {
        Map<String, String> env = Map.of(CompareBench.OUT_ENV, dir.toString());
        CliContext ctx = new CliContext(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC),
                new DeterministicRandom("CompareBenchTest"), env::get, () -> null);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WaveCli.execute(ctx, new PrintWriter(out), new PrintWriter(err), "bench", "compare", "--quick",
                "--json");
        assertEquals(0, code, err.toString());
        JsonNode printed = new ObjectMapper().readTree(out.toString());
        assertEquals("compare", printed.get("bench").asText());
        JsonNode results = printed.get("results");
        JsonNode rows = results.get("hops");
        assertEquals(8, rows.size());
        for (int i = 0; i < 8; i++) {
            JsonNode row = rows.get(i);
            assertEquals(i + 1, row.get("hops").asInt());
            for (String system : CompareBench.SYSTEMS) {
                assertTrue(row.get(system + "_us").asDouble() > 0, system + " in " + row);
                assertTrue(row.get(system + "_p90_us").asDouble() >= row.get(system + "_us").asDouble(), row.toString());
            }
            for (String size : new String[] {"wave_proof_bytes", "biscuit_bytes", "x509_bytes"}) {
                assertTrue(row.get(size).asInt() > 100 * (i + 1), size + " in " + row);
            }
            for (String ratio : new String[] {"biscuit_over_wave_cold", "x509_over_wave_cold", "biscuit_over_wave_warm",
                "x509_over_wave_warm"}) {
                assertTrue(row.get(ratio).asDouble() > 0, ratio + " in " + row);
            }
        }
        assertTrue(results.get("summary").get("targets_met").isBoolean());
        assertTrue(results.get("systems").get("x509").asText().contains("revocation: off"));

        JsonNode written = new ObjectMapper().readTree(dir.resolve(CompareBench.JSON_FILE).toFile());
        assertTrue(written.get("quick").asBoolean());
        assertEquals(rows, written.get("results").get("hops"));
        String svg = Files.readString(dir.resolve(CompareBench.SVG_FILE));
        assertEquals(5, SvgChartTest.seriesNames(SvgChartTest.parse(svg)).size());
        assertTrue(svg.contains("--quick"), "a quick run's chart says so");
    }

    @Test
    void outputDirectory_isTheEnvironmentsThenTheCheckoutsDocs_andNoneForAQuickRun() {
        Map<String, String> env = new java.util.HashMap<>();
        assertNull(CompareBench.outputDirectory(env::get, true));
        assertEquals(Path.of("docs", "bench").toAbsolutePath(), CompareBench.outputDirectory(env::get, false));
        env.put("WAVE_REPO", "/repo");
        assertEquals(Path.of("/repo/docs/bench"), CompareBench.outputDirectory(env::get, false));
        assertNull(CompareBench.outputDirectory(env::get, true));
        env.put(CompareBench.OUT_ENV, "/elsewhere");
        assertEquals(Path.of("/elsewhere"), CompareBench.outputDirectory(env::get, true));
        assertEquals(Path.of("/elsewhere"), CompareBench.outputDirectory(env::get, false));
    }

    private static Map<String, Object> row(double bCold, double xCold, double bWarm, double xWarm) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("biscuit_over_wave_cold", bCold);
        r.put("x509_over_wave_cold", xCold);
        r.put("biscuit_over_wave_warm", bWarm);
        r.put("x509_over_wave_warm", xWarm);
        return r;
    }

    @Test
    void summary_holdsATargetOnlyWhenItHoldsAtEveryDepth() {
        List<Map<String, Object>> rows = new ArrayList<>(List.of(row(3, 2, 500, 300), row(2, 1.5, 400, 200)));
        Map<String, Object> met = CompareBench.summary(rows);
        assertEquals(true, met.get("targets_met"));
        assertEquals(1.5, met.get("min_x509_over_wave_cold"));

        rows.add(row(2, 0.98, 400, 200));
        Map<String, Object> coldMissed = CompareBench.summary(rows);
        assertEquals(false, coldMissed.get("cold_faster_than_biscuit_and_x509_at_every_depth"));
        assertEquals(true, coldMissed.get("warm_at_least_20x_faster_than_biscuit_and_x509_at_every_depth"));
        assertEquals(false, coldMissed.get("targets_met"));

        Map<String, Object> warmMissed = CompareBench.summary(List.of(row(3, 2, 19.9, 300)));
        assertFalse((Boolean) warmMissed.get("warm_at_least_20x_faster_than_biscuit_and_x509_at_every_depth"));
    }

    @Test
    void biscuitCheck_aStalledEvaluationStopsTheRunAsSuch_notAsARefusal() {
        DeterministicRandom random = new DeterministicRandom("CompareBenchTest.stalled");
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        Biscuits.Token t = Biscuits.chain(2, random, now.plusSeconds(3600));
        Biscuits.Service stalled = new Biscuits.Service(t.root(), java.util.Set.of(), now, Biscuits.RESOURCE,
                Biscuits.OPERATION, new org.biscuitsec.biscuit.datalog.RunLimits(1000, 100, java.time.Duration.ZERO));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CompareBench.biscuitAllows(stalled,
                t.bytes()));
        assertTrue(e.getMessage().contains("not a refusal"), e.getMessage());
        Biscuits.Service refusing = new Biscuits.Service(t.root(), java.util.Set.of(), now, Biscuits.RESOURCE,
                "configure");
        assertFalse(CompareBench.biscuitAllows(refusing, t.bytes()));
        assertTrue(CompareBench.biscuitAllows(new Biscuits.Service(t.root(), java.util.Set.of(), now,
                Biscuits.RESOURCE, Biscuits.OPERATION), t.bytes()));
    }
}
