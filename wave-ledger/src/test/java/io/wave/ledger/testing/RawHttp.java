package io.wave.ledger.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.crypto.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HTTP as a hostile client writes it: exactly the bytes given, over a plain socket, so that a test can send
 * what no well-behaved client would (a body that stops halfway, a NUL in a path, a lying Content-Length, a
 * request line that is not HTTP) to a really started server and read what it answers. Every server here
 * must answer all of it with the one error body, {@code {"code": ..., "message": ...}} ({@link #assertRefused}).
 */
public final class RawHttp {
    /**
     * How long a test waits for an answer at most: a safety net, not a budget. A server answers a stalled body
     * after its idle timeout, which tests set far below this.
     */
    public static final Duration PATIENCE = Duration.ofSeconds(120);

    /** JSON that is not the object any route takes. */
    public static final List<String> NOT_AN_OBJECT = List.of("null", "[]", "[null]", "\"x\"", "1", "-0.5e999", "true",
            "false", "{} {}", "{\"a\":1,\"a\":2}");

    /** Path segments that try to climb out of a route, end a string early or are not percent-encoding at all. */
    public static final List<String> HOSTILE_SEGMENTS = List.of("%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%2f..%2f", "%2e%2e",
            "%2e", "%00", "a%00b", "%", "%zz", "%c0%af", "%ff%fe", "a;b=c", "%2f", "%5c..%5c", "%0d%0aX-Injected:%201");

    /** Requests that are not HTTP a server can route: each must still get the one error body. */
    public static final Map<String, String> MALFORMED_REQUESTS = malformedRequests();

    /** A body that is not UTF-8: a lone continuation byte and an overlong encoding of '/'. */
    public static final byte[] NOT_UTF8 = {'{', '"', (byte) 0x80, '"', ':', (byte) 0xc0, (byte) 0xaf, '}'};

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Statuses Jetty answers with before any route runs, for which no error code has a status of its own. */
    private static final Set<Integer> PROTOCOL_STATUSES = Set.of(414, 417, 431, 505);

    private RawHttp() {}

    /** What came back: the status, the headers by lower-case name, and the body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    /**
     * Sends {@code request} as it is and reads one answer: its head, then as many bytes as its Content-Length says
     * (or up to the server's close). The request's side is never closed, so a body sent short stays pending until
     * the server gives up on it.
     */
    public static Answer exchange(URI server, byte[] request) {
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            s.setSoTimeout((int) PATIENCE.toMillis());
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (SocketException refusedMidway) {
                // A server may answer (413) and close before taking all of a large body: read what it said.
            }
            return read(s.getInputStream(), server);
        } catch (IOException e) {
            throw new AssertionError("no answer from " + server + ": " + e, e);
        }
    }

    /** {@link #exchange(URI, byte[])} for a request written as text (one byte per character). */
    public static Answer exchange(URI server, String request) {
        return exchange(server, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A request with {@code Connection: close}, a Host, the given header lines, and the body with its length. */
    public static byte[] request(String method, String target, byte[] body, String... headerLines) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        for (String h : headerLines) {
            head.append(h).append("\r\n");
        }
        if (body != null && List.of(headerLines).stream().noneMatch(h -> h.regionMatches(true, 0, "Content-Length", 0, 14)
                || h.regionMatches(true, 0, "Transfer-Encoding", 0, 17))) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = body == null ? new byte[0] : body;
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    /** A JSON POST of {@code body}, with any other header lines given. */
    public static byte[] post(String path, String body, String... headerLines) {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headerLines);
    }

    public static byte[] post(String path, byte[] body, String... headerLines) {
        String[] lines = new String[headerLines.length + 1];
        lines[0] = "Content-Type: application/json";
        System.arraycopy(headerLines, 0, lines, 1, headerLines.length);
        return request("POST", path, body, lines);
    }

    public static byte[] get(String target) {
        return request("GET", target, null);
    }

    /** A POST that announces all of {@code body} and sends its first half only: a body that stops arriving. */
    public static byte[] stalledPost(String path, byte[] body, String... headerLines) {
        byte[] whole = request("POST", path, body, headerLines);
        byte[] part = new byte[whole.length - body.length / 2];
        System.arraycopy(whole, 0, part, 0, part.length);
        return part;
    }

    /**
     * The one error body, with {@code code}, under {@code status}: JSON, exactly a code and a non-blank message,
     * and the status the code maps to (or, for the few refusals Jetty makes with a status of their own, that one).
     */
    public static JsonNode assertErrorBody(Answer a, int status, ErrorCode code) {
        assertEquals(status, a.status(), a::toString);
        JsonNode body = assertRefused(a, "");
        assertEquals(code.name(), body.get("code").asText(), a::toString);
        return body;
    }

    /**
     * A refusal as every server here makes it, whatever its code: a 4xx (or one of Jetty's protocol statuses),
     * never a 5xx of ours, with the one error body.
     */
    public static JsonNode assertRefused(Answer a, String what) {
        String context = what + ": " + a;
        assertTrue(a.status() >= 400 && a.status() < 500 || a.status() == 505, context);
        String type = a.header("Content-Type");
        assertTrue(type != null && type.startsWith("application/json"), context);
        JsonNode body = a.json();
        assertTrue(body.isObject() && body.size() == 2, "code and message, nothing else: " + context);
        assertTrue(body.path("message").isTextual() && !body.get("message").asText().isBlank(), context);
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(body.path("code").asText());
        } catch (IllegalArgumentException e) {
            return fail("an error code of ErrorCode: " + context);
        }
        if (!PROTOCOL_STATUSES.contains(a.status())) {
            assertEquals(code.httpStatus(), a.status(), "the status of its code: " + context);
        }
        return body;
    }

    private static Answer read(InputStream in, URI server) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while (!endsWithBlankLine(head) && (b = readOrEnd(in)) >= 0) {
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.1 ") || !endsWithBlankLine(head)) {
            throw new AssertionError(server + " answered no HTTP: '" + text + "'");
        }
        String[] lines = text.strip().split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        String length = headers.get("content-length");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length)));
        } else {
            while ((b = readOrEnd(in)) >= 0) {
                body.write(b);
            }
        }
        return new Answer(status, headers, body.toByteArray());
    }

    private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
        byte[] h = head.toByteArray();
        int n = h.length;
        return n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n';
    }

    /** The next byte, or -1 at the end; a reset after the server closed with our bytes unread is an end too. */
    private static int readOrEnd(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    private static Map<String, String> malformedRequests() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("not HTTP", "HELLO\r\n\r\n");
        m.put("an unknown HTTP version", "GET /v1/head HTTP/3.7\r\nHost: x\r\n\r\n");
        m.put("no Host", "GET /v1/head HTTP/1.1\r\nConnection: close\r\n\r\n");
        m.put("a URI too long", "GET /v1/" + "a".repeat(64 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        m.put("headers too large", "GET /v1/head HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(64 * 1024) + "\r\n\r\n");
        m.put("a Content-Length that is no number", "POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
        m.put("two Content-Lengths", "POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
        m.put("an unknown expectation", "POST /v1/x HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}");
        m.put("a header without a colon", "GET /v1/head HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n");
        m.put("a NUL in the path", "GET /v1/\0 HTTP/1.1\r\nHost: x\r\n\r\n");
        m.put("broken chunked encoding", "POST /v1/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        return m;
    }
}
