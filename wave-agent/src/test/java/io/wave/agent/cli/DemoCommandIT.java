package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wave demo} on the embedded defaults (a RocksDB ledger and HiveMQ in this JVM): every step holds. */
class DemoCommandIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void demo_tellsTheWholeStory_andEveryExpectationHolds() {
        CliHarness h = new CliHarness("demo", dir);
        h.clock = Clock.systemUTC();
        CliHarness.Run r = h.run("demo", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        List<JsonNode> steps = r.out().lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (java.io.IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertEquals(11, steps.size(), r.out());
        for (JsonNode s : steps) {
            assertTrue(s.get("ok").asBoolean(), s.toString());
        }
        assertTrue(steps.get(10).get("detail").asText().startsWith("REVOKED"), steps.get(10).toString());
    }
}
