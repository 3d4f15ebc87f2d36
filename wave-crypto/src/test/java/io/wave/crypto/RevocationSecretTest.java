package io.wave.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.testing.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RevocationSecretTest {
    private static final byte[] SEED = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final RevocationSecret SECRET =
            RevocationSecret.derive(SEED, "attestation-1".getBytes(StandardCharsets.US_ASCII));

    @Test
    void secret_opensItsOwnCommitmentOnly() {
        assertTrue(SECRET.opens(SECRET.commitment()));
        RevocationSecret other = RevocationSecret.derive(SEED, "attestation-2".getBytes(StandardCharsets.US_ASCII));
        assertNotEquals(SECRET, other);
        assertFalse(other.opens(SECRET.commitment()));
    }

    @Test
    void commitment_isSha3OfDomainAndSecret_soPublishingItRevealsNothing() {
        byte[] expected = Hash.sha3Raw("wave.revocation.commit.v1".getBytes(StandardCharsets.US_ASCII), SECRET.bytes());
        assertEquals(RevocationCommitment.of(expected), SECRET.commitment());
        assertNotEquals(HexFormat.of().formatHex(SECRET.bytes()),
                HexFormat.of().formatHex(SECRET.commitment().bytes()));
    }

    @Test
    void of_roundTripsAndRejectsWrongLength() {
        assertEquals(SECRET, RevocationSecret.of(SECRET.bytes()));
        assertEquals(SECRET.hashCode(), RevocationSecret.of(SECRET.bytes()).hashCode());
        assertEquals(ErrorCode.MALFORMED,
                assertThrows(WaveException.class, () -> RevocationSecret.of(new byte[31])).code());
        assertEquals(ErrorCode.MALFORMED,
                assertThrows(WaveException.class, () -> RevocationCommitment.of(new byte[33])).code());
    }

    @Test
    void toString_neverShowsTheSecret() {
        assertEquals("RevocationSecret[redacted]", SECRET.toString());
        Secrets.assertNotLeaked(SECRET.toString(), SECRET.bytes());
    }
}
