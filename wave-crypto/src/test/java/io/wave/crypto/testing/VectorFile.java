package io.wave.crypto.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads test vectors kept as data, in a plain format close to how RFCs print them:
 *
 * <pre>
 * # comment
 * [name of the vector]
 * key   = value
 * other = first part of a long value
 *         continued on lines that start with whitespace
 * </pre>
 *
 * Values are trimmed; continuation lines are appended without separators, so long hex strings can be
 * wrapped freely. A malformed file fails loudly with its line number rather than yielding no tests.
 */
public final class VectorFile {
    /** One vector: its name, its fields in file order, and the line it starts on (for messages). */
    public record Vector(String name, Map<String, String> fields, int line) {
        /** The field's text; fails when the vector lacks it. */
        public String get(String key) {
            String v = fields.get(key);
            if (v == null) {
                throw new IllegalStateException("vector '" + name + "' (line " + line + ") has no field " + key);
            }
            return v;
        }

        /** The field as hex (spaces allowed); an empty field is zero bytes. */
        public byte[] hex(String key) {
            return HexFormat.of().parseHex(get(key).replaceAll("\\s+", ""));
        }

        public boolean has(String key) {
            return fields.containsKey(key);
        }
    }

    private VectorFile() {}

    /** Loads a classpath resource such as {@code /vectors/rfc8032-ed25519.txt}. */
    public static List<Vector> load(String resource) {
        try (InputStream in = VectorFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            return parse(resource, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Vector> parse(String resource, BufferedReader reader) throws IOException {
        List<Vector> out = new ArrayList<>();
        String name = null;
        int start = 0;
        Map<String, String> fields = null;
        String lastKey = null;
        int lineNo = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (t.startsWith("[") && t.endsWith("]")) {
                if (name != null) {
                    out.add(new Vector(name, fields, start));
                }
                name = t.substring(1, t.length() - 1).strip();
                start = lineNo;
                fields = new LinkedHashMap<>();
                lastKey = null;
            } else if (Character.isWhitespace(line.charAt(0)) && lastKey != null) {
                fields.merge(lastKey, t, String::concat);
            } else {
                int eq = t.indexOf('=');
                if (name == null || eq < 1) {
                    throw new IllegalStateException(resource + ":" + lineNo + ": expected [name] or key = value");
                }
                lastKey = t.substring(0, eq).strip();
                if (fields.put(lastKey, t.substring(eq + 1).strip()) != null) {
                    throw new IllegalStateException(resource + ":" + lineNo + ": field " + lastKey + " given twice");
                }
            }
        }
        if (name != null) {
            out.add(new Vector(name, fields, start));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(resource + " holds no vectors");
        }
        return out;
    }
}
