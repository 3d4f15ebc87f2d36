package io.wave.crypto.testing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * A {@link SecureRandom} for tests whose output is a pure function of a label: SHAKE256 over a fixed
 * domain, a NUL and the label, squeezed as one continuous stream. The same label gives the same keys,
 * nonces and ids on every run and every machine, so a failure can be replayed and golden data can name
 * ids.
 *
 * <p>The stream is independent of how it is read: {@code nextBytes(64)} equals two calls of
 * {@code nextBytes(32)}. {@link #setSeed(byte[])} mixes its argument in deterministically (it never
 * brings in real entropy). Other modules' golden data depend on this stream, so changing it is a
 * breaking change to the test-jar.
 *
 * <p>Never use outside tests: anyone who knows the label knows every key.
 */
public final class DeterministicRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    /** A stream named by {@code label}; use a label that says what the stream is for. */
    public DeterministicRandom(String label) {
        // Through the SPI rather than overriding nextBytes: then every SecureRandom method (nextInt,
        // ints, generateSeed, setSeed) draws from the same deterministic stream.
        super(new Spi(Objects.requireNonNull(label, "label")), null);
    }

    private static final class Spi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private static final byte[] DOMAIN = "wave.test.random.v1".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] RESEED = "wave.test.random.reseed.v1".getBytes(StandardCharsets.US_ASCII);

        private final String label;
        private transient SHAKEDigest xof;

        Spi(String label) {
            this.label = label;
            this.xof = start(DOMAIN, label.getBytes(StandardCharsets.UTF_8));
        }

        private static SHAKEDigest start(byte[] domain, byte[] input) {
            SHAKEDigest d = new SHAKEDigest(256);
            d.update(domain, 0, domain.length);
            d.update((byte) 0);
            d.update(input, 0, input.length);
            return d;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            byte[] carry = new byte[64];
            xof.doOutput(carry, 0, carry.length);
            byte[] input = new byte[carry.length + seed.length];
            System.arraycopy(carry, 0, input, 0, carry.length);
            System.arraycopy(seed, 0, input, carry.length, seed.length);
            xof = start(RESEED, input);
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            if (bytes.length > 0) {
                xof.doOutput(bytes, 0, bytes.length);
            }
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] out = new byte[numBytes];
            engineNextBytes(out);
            return out;
        }

        @Override
        public String toString() {
            return "DeterministicRandom[" + label + "]";
        }
    }
}
