package io.wave.agent.daemon;

import io.wave.crypto.objects.SecretBox;
import io.wave.ledger.Ledger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** An agent for in-process tests: home under {@code dir}, a free port, and the lightest Argon2id for its keys. */
public final class TestAgent {
    /** How long a test waits on a condition before it gives up: a safety net for a hung test, not a budget. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private TestAgent() {}

    public static Consumer<Agent.Config> config(Path dir, Ledger ledger, String passphrase) {
        return c -> {
            c.home = dir.resolve("agent");
            c.ledger = ledger;
            c.passphrase = passphrase.toCharArray();
            c.port = 0;
            c.kdf = new SecretBox.KdfParams(SecretBox.MIN_MEMORY_KIB, 1, 1);
        };
    }

    /** Answers the agent's verdict cache has served, from {@code GET /metrics}. */
    static long cacheHits(Agent agent) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(agent.uri().resolve("/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.body().lines().filter(l -> l.startsWith("wave_agent_cache_hits_total"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
