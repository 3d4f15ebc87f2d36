package io.wave.crypto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * PEM armour (RFC 7468, strict form) for the files people pass around: one or more blocks, each
 * {@code -----BEGIN TYPE-----}, base64 lines, {@code -----END TYPE-----}. Text outside blocks is
 * allowed (comments for humans); anything malformed inside a block is refused.
 */
public final class Pem {
    public static final String ENTITY = "WAVE ENTITY";
    public static final String ENTITY_SECRET = "WAVE ENTITY SECRET";
    public static final String SEALED_ENTITY_SECRET = "WAVE ENCRYPTED ENTITY SECRET";
    public static final String ATTESTATION = "WAVE ATTESTATION";
    public static final String PROOF = "WAVE PROOF";
    public static final String NAME_DECLARATION = "WAVE NAME DECLARATION";
    public static final String REVOCATION = "WAVE REVOCATION";

    /** No file of ours comes near this; a larger one is not a WAVE file. */
    public static final int MAX_TEXT_CHARS = 512 * 1024;
    public static final int MAX_BLOCKS = 256;

    private static final Pattern TYPE = Pattern.compile("[A-Z0-9 ]{1,64}");
    private static final int LINE = 64;

    /** One armoured block. */
    public record Block(String type, byte[] der) {
        public Block {
            Objects.requireNonNull(type, "type");
            der = Objects.requireNonNull(der, "der").clone();
        }

        @Override
        public byte[] der() {
            return der.clone();
        }
    }

    private Pem() {}

    public static String encode(String type, byte[] der) {
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("bad PEM type " + type);
        }
        String b64 = Base64.getEncoder().encodeToString(der);
        StringBuilder sb = new StringBuilder(b64.length() + 80);
        sb.append("-----BEGIN ").append(type).append("-----\n");
        for (int i = 0; i < b64.length(); i += LINE) {
            sb.append(b64, i, Math.min(b64.length(), i + LINE)).append('\n');
        }
        sb.append("-----END ").append(type).append("-----\n");
        return sb.toString();
    }

    /** All blocks in {@code text}, in order. */
    public static List<Block> decodeAll(String text) {
        if (text.length() > MAX_TEXT_CHARS) {
            throw WaveException.tooLarge("file over " + MAX_TEXT_CHARS + " characters");
        }
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i++].strip();
            if (!line.startsWith("-----BEGIN ")) {
                if (line.startsWith("-----END ")) {
                    throw WaveException.malformed("PEM: END without BEGIN");
                }
                continue;
            }
            if (!line.endsWith("-----") || line.length() < 17) {
                throw WaveException.malformed("PEM: bad BEGIN line");
            }
            String type = line.substring(11, line.length() - 5);
            if (!TYPE.matcher(type).matches()) {
                throw WaveException.malformed("PEM: bad block type");
            }
            StringBuilder b64 = new StringBuilder();
            boolean ended = false;
            while (i < lines.length) {
                String l = lines[i++].strip();
                if (l.equals("-----END " + type + "-----")) {
                    ended = true;
                    break;
                }
                if (l.startsWith("-----")) {
                    throw WaveException.malformed("PEM: block " + type + " ends with the wrong END line");
                }
                b64.append(l);
            }
            if (!ended) {
                throw WaveException.malformed("PEM: block " + type + " is not closed");
            }
            if (b64.length() % 4 != 0) {
                throw WaveException.malformed("PEM: block " + type + " is not padded base64");
            }
            byte[] der;
            try {
                der = Base64.getDecoder().decode(b64.toString());
            } catch (IllegalArgumentException e) {
                throw WaveException.malformed("PEM: block " + type + " is not valid base64");
            }
            if (der.length == 0) {
                throw WaveException.malformed("PEM: block " + type + " is empty");
            }
            if (blocks.size() == MAX_BLOCKS) {
                throw WaveException.tooLarge("PEM: more than " + MAX_BLOCKS + " blocks");
            }
            blocks.add(new Block(type, der));
        }
        return blocks;
    }

    /**
     * Reads a file's bytes as PEM text, or as one raw DER object when it starts like DER (0x30), which is
     * reported as a block of type {@code rawType}.
     */
    public static List<Block> decodeFile(byte[] content, String rawType) {
        if (content.length > 0 && content[0] == 0x30) {
            return List.of(new Block(rawType, content));
        }
        List<Block> blocks = decodeAll(new String(content, StandardCharsets.UTF_8));
        if (blocks.isEmpty()) {
            throw WaveException.malformed("no PEM block found");
        }
        return blocks;
    }
}
