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
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * What every JSON-over-HTTP server here does alike (the ledger server, {@code wave infer serve}): listen
 * or say why not, read a bounded body strictly, and answer every failure with one body,
 * {@code {"code": ..., "message": ...}}, under the HTTP status of its {@link ErrorCode}.
 */
public final class JsonHttp {
    /** The content type of every answer. */
    public static final String JSON = Wire.JSON;

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

    /** The settings every server here shares: quiet, listening on {@code host}:{@code port}, the body bounded. */
    public static void configure(io.javalin.config.JavalinConfig c, String host, int port, int maxBodyBytes) {
        c.showJavalinBanner = false;
        c.startupWatcherEnabled = false;
        c.jetty.defaultHost = host;
        c.jetty.defaultPort = port;
        c.http.maxRequestSize = maxBodyBytes;
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

    /** Reads at most {@code maxBodyBytes} of body, whatever the request claims, then parses it strictly. */
    public static <T> T read(Context ctx, int maxBodyBytes, ObjectMapper json, Class<T> type) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw WaveException.tooLarge("request body of " + declared + " bytes; at most " + maxBodyBytes);
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(maxBodyBytes + 1);
        }
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
        T value;
        try {
            value = json.readValue(body, type);
        } catch (CharConversionException e) {
            // Jackson guesses UTF-16 or UTF-32 from zero bytes in the first four and then finds no such text: a
            // client's bytes, not our I/O (found by fuzzing: "{\0\0\0" answered 500 IO_ERROR).
            throw WaveException.malformed("the body is not JSON text: " + Wire.shorten(e.getMessage()));
        }
        if (value == null) {
            throw WaveException.malformed("the body is null; it should be a JSON object");
        }
        return value;
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
                default -> WaveException.badArgument("HTTP " + h.getStatus() + ": " + Wire.shorten(h.getMessage()));
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
