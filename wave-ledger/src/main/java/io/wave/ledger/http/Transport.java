package io.wave.ledger.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.ledger.http.internal.Wire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requests to a ledger server and nothing else: every answer is bounded in size and time, parsed as the
 * JSON the API defines, and every failure leaves as a {@link WaveException}. Transport failures
 * (refused, reset, timed out) are UNAVAILABLE; the server's error bodies keep the server's code; an
 * answer that is not the API's JSON is TAMPERED. A 429 leaves as a {@link RetryLater}, which says when
 * the server asked to be tried again.
 */
final class Transport {
    /** The longest wait a server's {@code Retry-After} is taken at its word for: past it, ask again anyway. */
    static final long MAX_RETRY_AFTER_SECONDS = 600;

    private final URI base;
    private final Duration requestTimeout;
    private final ExecutorService executor;
    private final HttpClient http;
    private final ObjectMapper json = Wire.mapper(false);

    Transport(URI base, Duration connectTimeout, Duration requestTimeout) {
        this.base = base;
        this.requestTimeout = requestTimeout;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "wave-ledger-http " + base);
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    URI base() {
        return base;
    }

    ObjectMapper json() {
        return json;
    }

    <T> T get(String pathAndQuery, Class<T> type) {
        return exchange(HttpRequest.newBuilder(resolve(pathAndQuery)).GET(), type);
    }

    <T> T post(String path, byte[] body, Class<T> type) {
        return exchange(HttpRequest.newBuilder(resolve(path)).header("Content-Type", Wire.JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), type);
    }

    void close() {
        executor.shutdownNow();
    }

    private URI resolve(String pathAndQuery) {
        return URI.create(base.toString() + pathAndQuery);
    }

    private <T> T exchange(HttpRequest.Builder request, Class<T> type) {
        HttpRequest r = request.timeout(requestTimeout).header("Accept", Wire.JSON).build();
        HttpResponse<byte[]> response = send(r);
        if (response.statusCode() == 200) {
            try {
                return json.readValue(response.body(), type);
            } catch (IOException e) {
                throw new WaveException(ErrorCode.TAMPERED, where(r) + " answered with something that is not the API's "
                        + "JSON: " + Wire.shorten(e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage()));
            }
        }
        throw failure(r, response);
    }

    private HttpResponse<byte[]> send(HttpRequest r) {
        CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(r, info -> new Bounded(Wire.MAX_ANSWER_BYTES));
        try {
            // The request timeout bounds the wait for headers; this bounds the body too (a server trickling bytes).
            return f.get(requestTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new WaveException(ErrorCode.UNAVAILABLE, where(r) + " did not answer within " + requestTimeout.toMillis() * 2
                    + " ms");
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new WaveException(ErrorCode.UNAVAILABLE, "interrupted while waiting for " + where(r));
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (causedBy(c, TooLarge.class)) {
                throw new WaveException(ErrorCode.TAMPERED, where(r) + " answered with more than " + Wire.MAX_ANSWER_BYTES
                        + " bytes");
            }
            String why = c == null ? "" : c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
            throw new WaveException(ErrorCode.UNAVAILABLE, "cannot reach the ledger at " + base + " (" + Wire.shorten(why) + ")", c);
        }
    }

    /** A failure status: the server's own code when it sent the API's error body, else judged by the status. */
    private WaveException failure(HttpRequest r, HttpResponse<byte[]> response) {
        WaveException e = judged(r, response);
        return response.statusCode() == 429 ? new RetryLater(e.getMessage(), retryAfterMillis(response)) : e;
    }

    private WaveException judged(HttpRequest r, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        try {
            Wire.Error err = json.readValue(response.body(), Wire.Error.class);
            ErrorCode code = ErrorCode.valueOf(err.code());
            if (code.httpStatus() == status) {
                return new WaveException(code, "ledger " + base + ": " + Wire.shorten(err.message()));
            }
        } catch (IOException | IllegalArgumentException notAnErrorBody) {
            // judged by status below
        }
        if (status == 429) {
            return new WaveException(ErrorCode.RATE_LIMITED, where(r) + " answered 429: too many requests; retry later");
        }
        if (status >= 500) {
            return new WaveException(ErrorCode.UNAVAILABLE, where(r) + " answered HTTP " + status);
        }
        return new WaveException(ErrorCode.TAMPERED, where(r) + " answered HTTP " + status
                + " without the API's error body; is it a WAVE ledger server?");
    }

    /**
     * What a 429's {@code Retry-After} asks for, in milliseconds: its delay in seconds, bounded by
     * {@link #MAX_RETRY_AFTER_SECONDS}; 0 when it is absent or not a number of seconds (an HTTP date is not
     * honoured: a clock apart from the server's would misread it).
     */
    static long retryAfterMillis(HttpResponse<?> response) {
        String v = response.headers().firstValue("Retry-After").orElse("").strip();
        if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Math.min(Long.parseLong(v), MAX_RETRY_AFTER_SECONDS) * 1000;
    }

    /**
     * The server asks to be tried again later (429 {@code RATE_LIMITED}), at the earliest after
     * {@link #retryAfterMillis()} (0 when it did not say).
     */
    static final class RetryLater extends WaveException {
        private final long retryAfterMillis;

        RetryLater(String message, long retryAfterMillis) {
            super(ErrorCode.RATE_LIMITED, message);
            this.retryAfterMillis = retryAfterMillis;
        }

        long retryAfterMillis() {
            return retryAfterMillis;
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String where(HttpRequest r) {
        return r.method() + " " + r.uri();
    }

    /** An answer over the bound: the body is abandoned, not buffered. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("answer too large");
        }
    }

    /** Collects a body up to {@code max} bytes and fails past it. */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Bounded(int max) {
            this.max = max;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                if (buffer.size() + b.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buffer.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
