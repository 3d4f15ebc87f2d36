package io.wave.ledger.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.ledger.http.internal.Wire;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * What every JSON-over-HTTP server here does alike (the ledger server, the agent, {@code wave infer serve}):
 * listen or say why not, read a bounded body strictly, and answer every failure with one body,
 * {@code {"code": ..., "message": ...}}, under the HTTP status of its {@link ErrorCode}.
 *
 * <p>Two places make that answer, so that no input reaches a client as anything else: {@link #fail} for what a
 * route throws (Javalin's exception mapper), and a Jetty error handler for what Jetty refuses before any route
 * runs (a request line, header or path it cannot parse, an ambiguous or undecodable path, headers or a URI
 * too long). Jetty keeps its own status for the few refusals that have one of their own (414, 417, 431, 505).
 */
public final class JsonHttp {
    /** The content type of every answer. */
    public static final String JSON = Wire.JSON;
    /**
     * How long a connection may send nothing (Jetty's default): a body that stops arriving this long is answered
     * 408 {@code REQUEST_TIMEOUT}, and a kept-alive connection this idle is closed. Long enough for a slow link,
     * short enough that a stalled client gives its server thread back.
     */
    public static final int IDLE_TIMEOUT_MILLIS = 30_000;

    private JsonHttp() {}

    /**
     * Checks a listen address before a server is made.
     *
     * @throws WaveException BAD_ARGUMENT when it is not a host and a port
     */
    public static void checkListen(String host, int port) {
        if (host == null || host.isBlank() || port < 0 || port > 65535) {
            throw WaveException.badArgument("listen address " + host + ":" + port + " is not a host and a port");
        }
    }

    /** The settings every server here shares, with Jetty's idle timeout ({@link #IDLE_TIMEOUT_MILLIS}). */
    public static void configure(io.javalin.config.JavalinConfig c, String host, int port, int maxBodyBytes) {
        configure(c, host, port, maxBodyBytes, IDLE_TIMEOUT_MILLIS);
    }

    /**
     * The settings every server here shares: quiet, listening on {@code host}:{@code port}, the body bounded, a
     * connection that sends nothing for {@code idleTimeoutMillis} timed out, and Jetty's own refusals answered with
     * the one error body.
     */
    public static void configure(io.javalin.config.JavalinConfig c, String host, int port, int maxBodyBytes,
            int idleTimeoutMillis) {
        if (idleTimeoutMillis < 1) {
            throw WaveException.badArgument("an idle timeout of at least 1 ms");
        }
        c.showJavalinBanner = false;
        c.startupWatcherEnabled = false;
        c.http.maxRequestSize = maxBodyBytes;
        // Javalin's own connector has Jetty's default idle timeout; this one is the same but for that setting.
        c.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(idleTimeoutMillis);
            return connector;
        });
        ObjectMapper json = Wire.mapper(true);
        c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler(json)));
        c.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler(json)));
    }

    /**
     * A mapper for request bodies that refuses what an API does not define: unknown fields, a missing or null
     * field, a coerced scalar, a duplicate key, trailing tokens.
     */
    public static ObjectMapper strictMapper() {
        return Wire.mapper(true);
    }

    /**
     * Starts {@code app}.
     *
     * @throws WaveException UNAVAILABLE when the address cannot be bound (in use, not local)
     */
    public static void start(Javalin app, String host, int port) {
        try {
            app.start();
        } catch (RuntimeException e) {
            app.stop();
            throw new WaveException(ErrorCode.UNAVAILABLE, "cannot listen on " + host + ":" + port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    /** The base URI of a server listening on {@code host} and {@code port}. */
    public static URI uri(String host, int port) {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    /**
     * Reads at most {@code maxBodyBytes} of body, whatever the request claims, then parses it strictly as UTF-8
     * JSON, whatever its Content-Type says (so {@code curl -d} works as the docs show).
     *
     * @return the body as {@code type}, never null
     * @throws WaveException TOO_LARGE over the bound; REQUEST_TIMEOUT when the body stops arriving; MALFORMED when
     *     it is empty, cut short, not UTF-8 or not JSON; BAD_ARGUMENT when it is JSON of another shape
     *     (including {@code null})
     */
    public static <T> T read(Context ctx, int maxBodyBytes, ObjectMapper json, Class<T> type) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw WaveException.tooLarge("request body of " + declared + " bytes; at most " + maxBodyBytes);
        }
        byte[] body = body(ctx, maxBodyBytes);
        if (body.length > maxBodyBytes) {
            throw WaveException.tooLarge("request body over " + maxBodyBytes + " bytes");
        }
        return parse(body, json, type);
    }

    /**
     * A whole body as the request record {@code type}, strictly: what every route's handler starts from, and
     * what the fuzz tests drive directly (docs/fuzzing.md).
     *
     * @throws WaveException MALFORMED for an empty body or the JSON literal {@code null} (which Jackson reads
     *     as no record at all); Jackson's exceptions otherwise, which {@link #asWaveException} maps to 4xx
     */
    public static <T> T parse(byte[] body, ObjectMapper json, Class<T> type) throws IOException {
        if (body.length == 0) {
            throw WaveException.malformed("the body is empty; it should be JSON");
        }
        T value = json.readValue(utf8(body), type);
        if (value == null) {
            throw WaveException.badArgument("the body is JSON null; this route takes an object");
        }
        return value;
    }

    /**
     * The body as sent, up to one byte past the bound. Jetty fails a read it cannot finish (the client went quiet
     * past the idle timeout, or broke its chunked encoding); Javalin would answer those with an empty 500 of its
     * own, so they leave here as the code they are.
     */
    private static byte[] body(Context ctx, int maxBodyBytes) {
        try (InputStream in = ctx.req().getInputStream()) {
            return in.readNBytes(maxBodyBytes + 1);
        } catch (IOException | RuntimeException e) {
            if (causedBy(e, TimeoutException.class)) {
                throw new WaveException(ErrorCode.REQUEST_TIMEOUT, "the body stopped arriving before it was complete; "
                        + "send it again", e);
            }
            BadMessageException bad = cause(e, BadMessageException.class);
            if (bad != null) {
                throw new WaveException(ErrorCode.MALFORMED, "the body is not well-formed HTTP: "
                        + Wire.shorten(bad.getReason()), e);
            }
            throw new WaveException(ErrorCode.MALFORMED, "the body ended before it was complete", e);
        }
    }

    /** JSON text is UTF-8 (RFC 8259): anything else is refused here, not guessed at by the parser. */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw WaveException.malformed("the body is not UTF-8 text");
        }
    }

    /** Answers {@code value} as JSON. */
    public static void answer(Context ctx, ObjectMapper json, Object value) throws IOException {
        ctx.contentType(JSON).result(json.writeValueAsBytes(value));
    }

    /** Answers {@code status} with the one error body. */
    public static void error(Context ctx, ObjectMapper json, int status, String code, String message) {
        ctx.status(status);
        try {
            ctx.contentType(JSON).result(json.writeValueAsBytes(new Wire.Error(code, message)));
        } catch (JsonProcessingException impossible) {
            ctx.result("");
        }
    }

    /** The one exception mapper: every failure becomes the error body with its code's status. */
    public static void fail(Exception e, Context ctx, ObjectMapper json) {
        WaveException w = asWaveException(e);
        error(ctx, json, w.code().httpStatus(), w.code().name(), w.getMessage());
    }

    /** A failure as the typed exception it answers with; anything unforeseen is our defect, said without internals. */
    public static WaveException asWaveException(Exception e) {
        if (e instanceof WaveException w) {
            return w;
        }
        if (e instanceof HttpResponseException h) {
            return switch (h.getStatus()) {
                case 404 -> new WaveException(ErrorCode.NOT_FOUND, "no such route; the API is under /v1");
                case 413 -> WaveException.tooLarge("request body too large");
                default -> new WaveException(forStatus(h.getStatus()), "HTTP " + h.getStatus() + ": "
                        + Wire.shorten(h.getMessage()));
            };
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return WaveException.badArgument("unknown field '" + Wire.shorten(u.getPropertyName()) + "'" + at(u));
        }
        if (e instanceof MismatchedInputException m) {
            return WaveException.badArgument("a field is missing, null or of the wrong type" + at(m));
        }
        if (e instanceof StreamReadException r) {
            return WaveException.malformed("the body is not JSON: " + Wire.shorten(r.getOriginalMessage()));
        }
        if (e instanceof JacksonException j) {
            return WaveException.malformed("the body is not the JSON this route takes: " + Wire.shorten(j.getOriginalMessage()));
        }
        return new WaveException(ErrorCode.IO_ERROR, "internal error (" + e.getClass().getSimpleName() + ")");
    }

    /**
     * The code a refusal made by Jetty or Javalin (which knows only its status) is answered with: the code of that
     * status, or for a status no code has, the nearest one.
     */
    static ErrorCode forStatus(int status) {
        return switch (status) {
            // What HTTP machinery refuses at 400 is a request it cannot parse.
            case 400, 505 -> ErrorCode.MALFORMED;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 408 -> ErrorCode.REQUEST_TIMEOUT;
            case 413, 414, 431 -> ErrorCode.TOO_LARGE;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.IO_ERROR : ErrorCode.BAD_ARGUMENT;
        };
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        return cause(t, type) != null;
    }

    private static <X extends Throwable> X cause(Throwable t, Class<X> type) {
        for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * Jetty's own refusals as the one error body. {@link #badMessageError} answers what Jetty cannot parse at all
     * (no request exists yet); {@link #handle} answers an error Jetty raises for a request it parsed.
     */
    static final class JsonErrorHandler extends ErrorHandler {
        private final ObjectMapper json;

        JsonErrorHandler(ObjectMapper json) {
            this.json = json;
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, JSON);
            return ByteBuffer.wrap(body(status, reason));
        }

        @Override
        public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            baseRequest.setHandled(true);
            Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
            byte[] body = body(response.getStatus(), message instanceof String m ? m : null);
            response.setContentType(JSON);
            response.setContentLength(body.length);
            try {
                response.getOutputStream().write(body);
            } catch (IllegalStateException writerInUse) {
                response.getWriter().write(new String(body, StandardCharsets.UTF_8));
            }
        }

        private byte[] body(int status, String reason) {
            ErrorCode code = forStatus(status);
            String message = "HTTP " + status + ": " + Wire.shorten(reason == null || reason.isBlank()
                    ? org.eclipse.jetty.http.HttpStatus.getMessage(status) : reason);
            try {
                return json.writeValueAsBytes(new Wire.Error(code.name(), message));
            } catch (JsonProcessingException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    private static String at(MismatchedInputException m) {
        StringBuilder path = new StringBuilder();
        for (var ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "" : " at " + Wire.shorten(path.toString());
    }
}
