package io.wave.ledger.server;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address: each address may make {@code burst} requests at once and
 * {@code perSecond} a second after that. Thread-safe.
 */
final class RateLimiter {
    /**
     * Addresses tracked at most. Past this, full buckets (addresses that have been quiet long enough to be
     * as good as new) are forgotten; if none is full, a new address is refused until some are, so a flood
     * of addresses costs bounded memory and fails closed.
     */
    static final int MAX_TRACKED = 10_000;

    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        /** Refills for the time since the last call (never for time running backwards), then takes one token. */
        synchronized boolean take(long now, double perSecond, double burst) {
            refill(now, perSecond, burst);
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized boolean isFull(long now, double perSecond, double burst) {
            refill(now, perSecond, burst);
            return tokens >= burst;
        }

        private void refill(long now, double perSecond, double burst) {
            if (now > updated) {
                tokens = Math.min(burst, tokens + (now - updated) * perSecond / 1000.0);
                updated = now;
            }
        }
    }

    RateLimiter(double perSecond, int burst, Clock clock) {
        if (!(perSecond > 0) || burst < 1) {
            throw WaveException.badArgument("a rate limit needs a positive rate and a burst of at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
    }

    /**
     * Takes one token for {@code address}.
     *
     * @throws WaveException RATE_LIMITED when its bucket is empty
     */
    void acquire(String address) {
        long now = clock.millis();
        Bucket b = buckets.get(address);
        if (b == null) {
            if (buckets.size() >= MAX_TRACKED) {
                forgetFull(now);
            }
            if (buckets.size() >= MAX_TRACKED) {
                throw limited();
            }
            b = buckets.computeIfAbsent(address, a -> new Bucket(burst, now));
        }
        if (!b.take(now, perSecond, burst)) {
            throw limited();
        }
    }

    private void forgetFull(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext();) {
            if (it.next().isFull(now, perSecond, burst)) {
                it.remove();
            }
        }
    }

    private WaveException limited() {
        return new WaveException(ErrorCode.RATE_LIMITED,
                "too many publishes: at most " + (long) burst + " at once and " + perSecond + " a second; retry later");
    }
}
