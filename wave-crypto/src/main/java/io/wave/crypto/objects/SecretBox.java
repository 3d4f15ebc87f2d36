package io.wave.crypto.objects;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Seals an {@link EntitySecret} under a passphrase: Argon2id (memory-hard) derives an AES-256 key, and
 * AES-GCM encrypts and authenticates the plaintext secret. The KDF parameters travel with the
 * ciphertext so they can grow over time; decoding bounds them so a hostile file cannot ask for
 * unbounded memory.
 *
 * <pre>
 * SealedSecret ::= SEQUENCE {
 *   version     INTEGER (1),
 *   kdf         SEQUENCE { memoryKiB INTEGER, iterations INTEGER, parallelism INTEGER, salt OCTET STRING (SIZE (16)) },
 *   nonce       OCTET STRING (SIZE (12)),
 *   ciphertext  OCTET STRING }               -- AES-256-GCM, 128-bit tag, AAD "wave.secret.v1"
 * </pre>
 */
public final class SecretBox {
    /** Argon2id cost a passphrase costs to test: 64 MiB, 3 passes (above OWASP's 2023 floor of 19 MiB, 2 passes). */
    public static final KdfParams DEFAULT = new KdfParams(64 * 1024, 3, 1);
    /** Cheapest file we will open: below this the passphrase is barely protected. */
    public static final int MIN_MEMORY_KIB = 8 * 1024;
    /** Dearest file we will open: 1 GiB, so a hostile file cannot exhaust memory. */
    public static final int MAX_MEMORY_KIB = 1024 * 1024;
    public static final int MAX_ITERATIONS = 16;
    public static final int MAX_PARALLELISM = 8;
    private static final int SALT_LENGTH = 16;
    private static final int NONCE_LENGTH = 12;
    private static final byte[] AAD = "wave.secret.v1".getBytes(StandardCharsets.US_ASCII);

    /** Argon2id cost parameters. */
    public record KdfParams(int memoryKiB, int iterations, int parallelism) {
        public KdfParams {
            if (memoryKiB < MIN_MEMORY_KIB || memoryKiB > MAX_MEMORY_KIB) {
                throw WaveException.malformed("Argon2 memory must lie in [" + MIN_MEMORY_KIB + ", " + MAX_MEMORY_KIB + "] KiB");
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw WaveException.malformed("Argon2 iterations must lie in [1, " + MAX_ITERATIONS + "]");
            }
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw WaveException.malformed("Argon2 parallelism must lie in [1, " + MAX_PARALLELISM + "]");
            }
        }
    }

    private SecretBox() {}

    public static byte[] seal(EntitySecret secret, char[] passphrase, KdfParams kdf, SecureRandom random) {
        requirePassphrase(passphrase);
        byte[] salt = new byte[SALT_LENGTH];
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        byte[] key = deriveKey(passphrase, salt, kdf);
        byte[] plain = secret.encodePlain();
        try {
            byte[] ct = gcm(true, key, nonce, plain);
            ASN1EncodableVector k = new ASN1EncodableVector();
            k.add(new ASN1Integer(kdf.memoryKiB()));
            k.add(new ASN1Integer(kdf.iterations()));
            k.add(new ASN1Integer(kdf.parallelism()));
            k.add(new DEROctetString(salt));
            ASN1EncodableVector v = new ASN1EncodableVector();
            v.add(new ASN1Integer(Fields.VERSION));
            v.add(Der.sequence(k));
            v.add(new DEROctetString(nonce));
            v.add(new DEROctetString(ct));
            return Der.encode(Der.sequence(v));
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * Opens a sealed secret.
     *
     * @throws WaveException BAD_PASSPHRASE when the passphrase is wrong (or the file was altered: GCM
     *     cannot tell the two apart), MALFORMED when the container is not well formed
     */
    public static EntitySecret open(byte[] sealed, char[] passphrase) {
        requirePassphrase(passphrase);
        ASN1Sequence seq = Der.decodeSequence(sealed, Limits.MAX_SECRET_BYTES, "sealed secret");
        DerReader r = new DerReader(seq, "sealed secret");
        Fields.version(r);
        DerReader k = DerReader.of(r.sequence("kdf"), "sealed secret kdf");
        KdfParams kdf = new KdfParams((int) k.integer("memory", 0, Integer.MAX_VALUE),
                (int) k.integer("iterations", 0, Integer.MAX_VALUE), (int) k.integer("parallelism", 0, Integer.MAX_VALUE));
        byte[] salt = k.octets("salt", SALT_LENGTH);
        k.end();
        byte[] nonce = r.octets("nonce", NONCE_LENGTH);
        byte[] ct = r.octets("ciphertext", 17, Limits.MAX_SECRET_BYTES);
        r.end();
        byte[] key = deriveKey(passphrase, salt, kdf);
        byte[] plain;
        try {
            plain = gcm(false, key, nonce, ct);
        } catch (WaveException e) {
            throw new WaveException(ErrorCode.BAD_PASSPHRASE, "wrong passphrase (or the secret file was altered)");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        try {
            return EntitySecret.decodePlain(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static void requirePassphrase(char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new WaveException(ErrorCode.PASSPHRASE_REQUIRED, "an empty passphrase protects nothing");
        }
    }

    private static byte[] deriveKey(char[] passphrase, byte[] salt, KdfParams kdf) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(kdf.memoryKiB())
                .withIterations(kdf.iterations())
                .withParallelism(kdf.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(params);
        byte[] pw = utf8(passphrase);
        byte[] key = new byte[32];
        try {
            gen.generateBytes(pw, key);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
        return key;
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        if (bb.hasArray()) {
            Arrays.fill(bb.array(), (byte) 0);
        }
        return out;
    }

    private static byte[] gcm(boolean encrypt, byte[] key, byte[] nonce, byte[] in) {
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), 128, nonce, AAD));
        byte[] out = new byte[cipher.getOutputSize(in.length)];
        int n = cipher.processBytes(in, 0, in.length, out, 0);
        try {
            n += cipher.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw WaveException.malformed("authentication failed");
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
