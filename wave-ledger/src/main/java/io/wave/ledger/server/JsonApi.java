package io.wave.ledger.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.ledger.http.internal.Wire;
import java.io.IOException;
import java.io.InputStream;

/**
 * How a WAVE JSON API over Javalin reads bodies and answers failures, one way for every server (the
 * ledger server, the agent): bodies are read up to a bound whatever the request claims, and every failure,
 * ours or the client's, becomes {@code {"code": ..., "message": ...}} with the HTTP status of its
 * {@link ErrorCode}. Malformed JSON, unknown fields and oversized bodies are the client's (4xx), never 500.
 */
public final class JsonApi {
    private JsonApi() {}

    /** Reads at most {@code maxBytes} of body, whatever the request claims, then parses it with {@code json}. */
    public static <T> T read(Context ctx, int maxBytes, ObjectMapper json, Class<T> type) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw WaveException.tooLarge("request body of " + declared + " bytes; at most " + maxBytes);
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(maxBytes + 1);
        }
        if (body.length > maxBytes) {
            throw WaveException.tooLarge("request body over " + maxBytes + " bytes");
        }
        if (body.length == 0) {
            throw WaveException.malformed("the body is empty; it should be JSON");
        }
        return json.readValue(body, type);
    }

    /** Answers {@code e} as the error body with its code's status. */
    public static void fail(Exception e, Context ctx, ObjectMapper json) {
        WaveException w = asWaveException(e);
        ctx.status(w.code().httpStatus());
        try {
            ctx.contentType(Wire.JSON).result(json.writeValueAsBytes(new Wire.Error(w.code().name(), w.getMessage())));
        } catch (JsonProcessingException impossible) {
            ctx.result("");
        }
    }

    /** The stable code and a message fit for a client, for any failure while handling a request. */
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
        // Anything else is our defect: say so without internals.
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
