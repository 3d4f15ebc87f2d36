package io.wave.testnet.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.testing.DeterministicRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paths the benchmark times are really validated: what it accepts is genuine, and nothing else is. */
class X509PathsTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant NOT_BEFORE = NOW.minusSeconds(3600);
    private static final Duration LIFETIME = Duration.ofDays(30);
    private final DeterministicRandom random = new DeterministicRandom("X509PathsTest");

    private static X509Paths.Validator validator(X509Paths.Path p) {
        return new X509Paths.Validator(p.root(), NOW, X509Paths.LEAF_NAME);
    }

    @Test
    void pathOfEveryLength_validates_withOneCertificatePerHop() {
        for (int hops = 1; hops <= 8; hops++) {
            X509Paths.Path p = X509Paths.chain(hops, random, NOT_BEFORE, LIFETIME);
            assertEquals(hops, p.der().size());
            assertTrue(validator(p).valid(p.der()), hops + " hops");
        }
    }

    @Test
    void valid_refusesATamperedCertificate() {
        X509Paths.Path p = X509Paths.chain(3, random, NOT_BEFORE, LIFETIME);
        for (int cert = 0; cert < 3; cert++) {
            List<byte[]> der = new ArrayList<>(p.der());
            byte[] bad = der.get(cert);
            bad[bad.length - 10] ^= 0x01; // inside the signature
            der.set(cert, bad);
            assertFalse(validator(p).valid(der), "certificate " + cert);
        }
    }

    @Test
    void valid_refusesAPathUnderAnotherRoot() {
        X509Paths.Path p = X509Paths.chain(2, random, NOT_BEFORE, LIFETIME);
        X509Paths.Path other = X509Paths.chain(2, random, NOT_BEFORE, LIFETIME);
        assertFalse(new X509Paths.Validator(other.root(), NOW, X509Paths.LEAF_NAME).valid(p.der()));
    }

    @Test
    void valid_refusesAPathWithACertificateLeftOut() {
        X509Paths.Path p = X509Paths.chain(3, random, NOT_BEFORE, LIFETIME);
        List<byte[]> der = new ArrayList<>(p.der());
        der.remove(1);
        assertFalse(validator(p).valid(der));
    }

    @Test
    void valid_refusesAnExpiredPath() {
        X509Paths.Path p = X509Paths.chain(2, random, NOT_BEFORE, LIFETIME);
        Instant late = NOT_BEFORE.plus(LIFETIME).plusSeconds(1);
        assertFalse(new X509Paths.Validator(p.root(), late, X509Paths.LEAF_NAME).valid(p.der()));
    }

    @Test
    void valid_refusesANameTheLeafIsNotCertifiedFor() {
        X509Paths.Path p = X509Paths.chain(2, random, NOT_BEFORE, LIFETIME);
        assertFalse(new X509Paths.Validator(p.root(), NOW, "mode.hvac.floor2.building1.wave.test").valid(p.der()));
    }

    @Test
    void valid_refusesALeafOutsideTheNameConstraints() {
        String outside = "setpoint.hvac.floor3.building1.wave.test";
        X509Paths.Path p = X509Paths.chain(3, random, NOT_BEFORE, LIFETIME, outside);
        // Certified for the name, but floor2's CA may not certify names on floor3.
        assertFalse(new X509Paths.Validator(p.root(), NOW, outside).valid(p.der()));
        X509Paths.Path one = X509Paths.chain(1, random, NOT_BEFORE, LIFETIME, outside);
        assertTrue(new X509Paths.Validator(one.root(), NOW, outside).valid(one.der()), "no CA narrows a 1-hop path");
    }
}
