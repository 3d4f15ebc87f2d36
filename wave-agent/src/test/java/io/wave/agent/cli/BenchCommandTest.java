package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's output is a contract (scripts and the docs read it); its figures are not asserted
 * here, since speed is measured by running it, not by timed unit tests.
 */
class BenchCommandTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void benchVerifyQuick_reportsEveryHopCountWithItsFields() throws Exception {
        CliHarness cli = new CliHarness("BenchCommandTest", dir);
        CliHarness.Run r = cli.run("bench", "verify", "--quick", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("verify", j.get("bench").asText());
        JsonNode rows = j.get("results");
        assertEquals(4, rows.size());
        int[] hops = {1, 2, 4, 8};
        for (int i = 0; i < hops.length; i++) {
            JsonNode row = rows.get(i);
            assertEquals(hops[i], row.get("hops").asInt());
            for (String f : new String[] {"cold_us", "warm_us", "warm_decode_us", "limit_us", "cold_over_limit",
                    "cold_hot_keys_us", "cold_over_cold_hot_keys"}) {
                assertTrue(row.get(f).asDouble() > 0, f + " in " + row);
            }
            assertTrue(row.get("proof_bytes").asInt() > 300 * hops[i], row.toString());
        }
    }

    @Test
    void benchAgentQuick_reportsRateLatencyAndCpuForEveryPhase() throws Exception {
        CliHarness.Run r = new CliHarness("BenchCommandTest", dir).run("bench", "agent", "--quick", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
        for (String phase : new String[] {"warm", "warm_at_target_rate", "miss", "http_floor"}) {
            JsonNode p = results.get(phase);
            for (String f : new String[] {"per_second", "p50_ms", "p99_ms", "cpu_us_per_request"}) {
                assertTrue(p.get(f).asDouble() > 0, f + " in " + p);
            }
            assertTrue(p.get("p50_ms").asDouble() <= p.get("p99_ms").asDouble(), p.toString());
        }
        assertTrue(results.get("warm_over_floor_cpu").asDouble() > 0, results.toString());
        // Open loop at the target rate. What it answered in its window is a measurement (a generator that fell
        // behind catches up in a burst, so it can exceed the rate), not a bound a test may hold it to.
        JsonNode rated = results.get("warm_at_target_rate");
        assertEquals(5000, rated.get("offered_per_second").asInt());
    }

    @Test
    void benchDeviceQuick_reportsRoundTripsThroughputDeviceCpuAndRevocation() throws Exception {
        CliHarness.Run r = new CliHarness("BenchCommandTest", dir).run("bench", "device", "--quick", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
        JsonNode latency = results.get("latency");
        for (String f : new String[] {"gated_p50_us", "ungated_p50_us", "p50_ratio"}) {
            assertTrue(latency.get(f).asDouble() > 0, f + " in " + latency);
        }
        JsonNode t = results.get("throughput");
        assertTrue(t.get("complete").asBoolean(), t.toString());
        assertEquals(t.get("commands").asLong(), t.get("accepted").asLong(), "every gated command accepted: " + t);
        for (String f : new String[] {"gated_per_second", "ungated_per_second", "device_cpu_us_per_command",
                "ungated_device_cpu_us_per_command", "per_second_if_device_had_2_cores"}) {
            assertTrue(t.get(f).asDouble() > 0, f + " in " + t);
        }
        // How much more the gate costs the device is the bench's figure to report, not a relation a test may
        // demand of two measurements on a busy machine.
        JsonNode revocation = results.get("revocation");
        assertEquals(3, revocation.get("trials").asInt(), revocation.toString());
        assertTrue(revocation.get("median_ms").asDouble() > 0, revocation.toString());
        assertTrue(revocation.get("median_ms").asDouble() <= revocation.get("max_ms").asDouble(), revocation.toString());
    }

    @Test
    void benchInferQuick_reportsGatedAndBareLatencyForEachHopCount() throws Exception {
        CliHarness.Run r = new CliHarness("BenchCommandTest", dir).run("bench", "infer", "--quick", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode rows = new ObjectMapper().readTree(r.out()).get("results");
        assertEquals(2, rows.size());
        for (JsonNode row : rows) {
            for (String f : new String[] {"bare_p50_us", "bare_p99_us", "gated_p50_us", "gated_p99_us", "auth_p50_us",
                    "auth_p99_us", "auth_share"}) {
                assertTrue(row.get(f).asDouble() > 0, f + " in " + row);
            }
            // auth_share is the ratio of two medians timed apart: a measurement, so only its form is asserted.
            assertTrue(Double.isFinite(row.get("auth_share").asDouble()), row.toString());
            assertTrue(row.get("gate_overhead_share").isNumber(), row.toString());
        }
    }

    @Test
    void benchOfSomethingUnknown_isABadArgument() {
        CliHarness.Run r = new CliHarness("BenchCommandTest", dir).run("bench", "everything");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("wave: BAD_ARGUMENT: "), r.err());
    }
}
