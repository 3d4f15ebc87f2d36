package io.wave.device;

import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Revocation;
import io.wave.ledger.Ledger;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.ObjectKind;
import io.wave.policy.RevocationView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A revocation view that follows a ledger's log from the start, so that every check on the command path
 * is a local lookup and a revocation takes effect on the next command after it is seen: with the
 * default poll of 200 ms, well within a second, on connections that stay open.
 *
 * <p>A revocation needs no trust in whoever served it: it is the secret whose hash is the commitment, and
 * the follower recomputes that hash. What a follower cannot know is what it has not yet read, so it fails
 * closed: when it has not reached the ledger for longer than the staleness bound (or never has), every
 * commitment it does not know to be revoked is {@link Status#UNKNOWN}, which verifiers treat as revoked
 * unless configured otherwise.
 */
public final class RevocationFollower implements RevocationView, AutoCloseable {
    public static final Duration DEFAULT_POLL = Duration.ofMillis(200);
    /** Past this without a successful read, answers turn UNKNOWN: ten missed polls is an outage, not a blip. */
    public static final Duration DEFAULT_STALENESS = Duration.ofSeconds(10);
    /** Entries read per request while catching up. */
    static final int PAGE = 1000;

    private final Ledger ledger;
    private final Clock clock;
    private final Duration staleness;
    private final Set<RevocationCommitment> revoked = ConcurrentHashMap.newKeySet();
    private final List<Consumer<RevocationCommitment>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private final Object syncLock = new Object();
    private volatile long cursor;
    private volatile Instant lastSync;
    private volatile WaveException lastFailure;

    private RevocationFollower(Ledger ledger, Clock clock, Duration staleness, boolean background) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.staleness = Objects.requireNonNull(staleness, "staleness");
        this.poller = background ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wave-revocation-follower");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * Reads the log up to its end now (a failure is kept, not thrown: the view answers UNKNOWN until a
     * read succeeds), then polls every {@code poll} in a background thread until {@link #close()}.
     */
    public static RevocationFollower start(Ledger ledger, Clock clock, Duration poll, Duration staleness) {
        RevocationFollower f = new RevocationFollower(ledger, clock, staleness, true);
        f.trySync();
        long ms = Math.max(1, poll.toMillis());
        f.poller.scheduleWithFixedDelay(f::trySync, ms, ms, TimeUnit.MILLISECONDS);
        return f;
    }

    /** A follower that reads only when {@link #sync()} is called: for tests and one-shot tools. */
    public static RevocationFollower manual(Ledger ledger, Clock clock, Duration staleness) {
        return new RevocationFollower(ledger, clock, staleness, false);
    }

    /** Called with each newly seen revoked commitment, on the follower's thread. */
    public void onRevoked(Consumer<RevocationCommitment> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Reads every entry after the cursor. Returns how many were read.
     *
     * @throws WaveException UNAVAILABLE, TAMPERED or another ledger failure; what was read before it stays
     */
    public int sync() {
        synchronized (syncLock) {
            int read = 0;
            while (true) {
                List<LedgerEntry> page = ledger.entries(cursor, PAGE);
                for (LedgerEntry e : page) {
                    if (e.kind() == ObjectKind.REVOCATION) {
                        // The ledger checked it on the way in; hashing the secret again trusts no one.
                        RevocationCommitment c = Revocation.decode(e.der()).commitment();
                        if (revoked.add(c)) {
                            listeners.forEach(l -> l.accept(c));
                        }
                    }
                    cursor = e.index() + 1;
                }
                read += page.size();
                if (page.size() < PAGE) {
                    break;
                }
            }
            lastSync = clock.instant();
            lastFailure = null;
            return read;
        }
    }

    private void trySync() {
        try {
            sync();
        } catch (WaveException e) {
            lastFailure = e;
        } catch (RuntimeException e) {
            lastFailure = new WaveException(io.wave.crypto.ErrorCode.UNAVAILABLE, "ledger read failed: " + e, e);
        }
    }

    @Override
    public Status status(RevocationCommitment commitment) {
        if (revoked.contains(commitment)) {
            return Status.REVOKED;
        }
        Instant last = lastSync;
        if (last == null || Duration.between(last, clock.instant()).compareTo(staleness) > 0) {
            return Status.UNKNOWN;
        }
        return Status.NOT_REVOKED;
    }

    /** Position of the next entry to read. */
    public long cursor() {
        return cursor;
    }

    /** When the log was last read to its end, or null. */
    public Instant lastSync() {
        return lastSync;
    }

    /** Why the last read failed, or null when it succeeded. */
    public WaveException lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
            try {
                poller.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
