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
 *
 * <p>It is charged only for requests already read and found well-formed (see {@link LedgerServer}): a limit
 * charged before that lets anyone who shares an address (every local client shares loopback) spend it with
 * garbage.
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

        /**
         * Refills for the time since the last call (never for time running backwards), then takes one token.
         *
         * @return 0 when a token was taken, else the milliseconds until one will be there
         */
        synchronized long take(long now, double perSecond, double burst) {
            refill(now, perSecond, burst);
            if (tokens < 1) {
                return Math.max(1, (long) Math.ceil((1 - tokens) * 1000.0 / perSecond));
            }
            tokens -= 1;
            return 0;
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
     * Takes one token for {@code address}, if its bucket has one.
     *
     * @return 0 when it had; else how many milliseconds until it will (what {@code Retry-After} tells)
     */
    long tryAcquire(String address) {
        long now = clock.millis();
        Bucket b = buckets.get(address);
        if (b == null) {
            if (buckets.size() >= MAX_TRACKED) {
                forgetFull(now);
            }
            if (buckets.size() >= MAX_TRACKED) {
                // Some tracked address refills within a token's time; this one may ask again then.
                return Math.max(1, (long) Math.ceil(1000.0 / perSecond));
            }
            b = buckets.computeIfAbsent(address, a -> new Bucket(burst, now));
        }
        return b.take(now, perSecond, burst);
    }

    private void forgetFull(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext();) {
            if (it.next().isFull(now, perSecond, burst)) {
                it.remove();
            }
        }
    }

    /** The refusal when {@link #tryAcquire} found no token: {@code what} is what this bucket counts. */
    WaveException limited(String what, long waitMillis) {
        return new WaveException(ErrorCode.RATE_LIMITED, "too many " + what + ": at most " + (long) burst + " at once and "
                + perSecond + " a second; retry in " + retryAfterSeconds(waitMillis) + " s");
    }

    /** A wait as the whole seconds of a {@code Retry-After} header: rounded up, at least 1. */
    static long retryAfterSeconds(long waitMillis) {
        return Math.max(1, (waitMillis + 999) / 1000);
    }
}
