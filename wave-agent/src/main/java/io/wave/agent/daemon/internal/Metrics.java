package io.wave.agent.daemon.internal;

import io.wave.policy.ReasonCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The agent's Prometheus metrics, in the text exposition format: verifications by result, their latency
 * as a histogram, the verdict cache's hits and misses, and how far the index lags the ledger.
 */
public final class Metrics {
    /** Histogram bounds in seconds: around the 5 ms target, from a cache hit (tens of µs) to a slow ledger. */
    static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};

    private final Map<ReasonCode, LongAdder> byResult = new EnumMap<>(ReasonCode.class);
    private final LongAdder[] buckets = new LongAdder[BUCKETS.length];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();

    public Metrics() {
        for (ReasonCode r : ReasonCode.values()) {
            byResult.put(r, new LongAdder());
        }
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** One verification answered with {@code reason}, taking {@code nanos}. */
    public void verified(ReasonCode reason, long nanos) {
        byResult.get(reason).increment();
        count.increment();
        sumNanos.add(nanos);
        double s = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (s <= BUCKETS[i]) {
                buckets[i].increment();
                break;
            }
        }
    }

    /** What the index and the cache say at the moment of scraping. */
    public record Gauges(long cacheHits, long cacheMisses, int cacheEntries, long ledgerSize, long indexPosition,
            long lastFollowMillis, long nowMillis) {}

    public String render(Gauges g) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("# HELP wave_agent_verifications_total Verifications answered, by result (reason code).\n");
        sb.append("# TYPE wave_agent_verifications_total counter\n");
        byResult.forEach((r, n) -> sb.append("wave_agent_verifications_total{result=\"").append(r.name()).append("\"} ")
                .append(n.sum()).append('\n'));
        sb.append("# HELP wave_agent_verify_seconds Time to answer POST /v1/verify, from parsed body to answer.\n");
        sb.append("# TYPE wave_agent_verify_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += buckets[i].sum();
            sb.append("wave_agent_verify_seconds_bucket{le=\"").append(num(BUCKETS[i])).append("\"} ").append(cumulative)
                    .append('\n');
        }
        long total = count.sum();
        sb.append("wave_agent_verify_seconds_bucket{le=\"+Inf\"} ").append(total).append('\n');
        sb.append("wave_agent_verify_seconds_sum ").append(num(sumNanos.sum() / 1e9)).append('\n');
        sb.append("wave_agent_verify_seconds_count ").append(total).append('\n');
        counter(sb, "wave_agent_cache_hits_total", "Verifications answered from the verdict cache.", g.cacheHits());
        counter(sb, "wave_agent_cache_misses_total", "Verifications evaluated in full.", g.cacheMisses());
        long asked = g.cacheHits() + g.cacheMisses();
        gauge(sb, "wave_agent_cache_hit_ratio", "Cache hits over all verifications since start.",
                () -> 0, asked == 0 ? "0" : num((double) g.cacheHits() / asked));
        gauge(sb, "wave_agent_cache_entries", "Answers held in the verdict cache.", g::cacheEntries, null);
        gauge(sb, "wave_agent_ledger_entries", "Entries in the ledger when last asked.", g::ledgerSize, null);
        gauge(sb, "wave_agent_index_entries", "Ledger entries the index has applied.", g::indexPosition, null);
        gauge(sb, "wave_agent_ledger_lag_entries", "Ledger entries not yet applied to the index.",
                () -> Math.max(0, g.ledgerSize() - g.indexPosition()), null);
        gauge(sb, "wave_agent_ledger_lag_seconds", "Seconds since the index last caught up with the ledger.",
                () -> 0, g.lastFollowMillis() == 0 ? "NaN" : num((g.nowMillis() - g.lastFollowMillis()) / 1000.0));
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, LongSupplier value, String text) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append(' ').append(text != null ? text : Long.toString(value.getAsLong())).append('\n');
    }

    private static String num(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
