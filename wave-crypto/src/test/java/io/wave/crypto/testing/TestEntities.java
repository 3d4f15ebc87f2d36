package io.wave.crypto.testing;

import io.wave.crypto.Validity;
import io.wave.crypto.objects.EntitySecret;

/**
 * Entities for tests, made deterministically from a label: {@code TestEntities.create("alice", v)} is
 * the same entity, with the same id, on every run. Different labels give unrelated keys.
 */
public final class TestEntities {
    /** 2020-01-01T00:00:00Z to 2100-01-01T00:00:00Z: contains every instant a test should need. */
    public static final Validity LONG_VALIDITY = Validity.ofSeconds(1_577_836_800L, 4_102_444_800L);

    private TestEntities() {}

    /** The entity named {@code seedLabel}, valid over {@code validity}. */
    public static EntitySecret create(String seedLabel, Validity validity) {
        return EntitySecret.create(new DeterministicRandom("wave.test.entity/" + seedLabel), validity);
    }

    /** The entity named {@code seedLabel}, valid over {@link #LONG_VALIDITY}. */
    public static EntitySecret create(String seedLabel) {
        return create(seedLabel, LONG_VALIDITY);
    }
}
