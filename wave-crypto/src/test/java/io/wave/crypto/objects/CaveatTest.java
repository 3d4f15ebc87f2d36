package io.wave.crypto.objects;

import static io.wave.crypto.objects.Fixtures.ALICE;
import static io.wave.crypto.objects.Fixtures.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CaveatTest {

    @ParameterizedTest(name = "{0} micros = \"{1}\"")
    @CsvSource({
        "18500000, 18.5",
        "21000000, 21",
        "0, 0",
        "1, 0.000001",
        "-2500000, -2.5",
        "1234567, 1.234567",
        "9223372036854775807, 9223372036854.775807",
        "-9223372036854775808, -9223372036854.775808",
    })
    void decimalAndMicros_areExactInverses(long micros, String text) {
        assertEquals(text, Caveat.decimal(micros));
        assertEquals(micros, Caveat.micros(text));
    }

    @Test
    void micros_acceptsTrailingZerosAndSurroundingSpace() {
        assertEquals(18_500_000L, Caveat.micros(" 18.500000 "));
        assertEquals(-1L, Caveat.micros("-0.000001"));
        assertEquals(7_000_000L, Caveat.micros("+7"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0.0000001", "1.2345678", "", "abc", "1.2.3", "18,5", "9223372036855", "-9223372036854.775809"})
    void micros_refusesWhatIsNotAnExactSixPlaceNumber(String text) {
        WaveException e = assertThrows(WaveException.class, () -> Caveat.micros(text));
        assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
    }

    @Test
    void dailyWindow_withinADay_isStartInclusiveEndExclusive() {
        Caveat.DailyWindow office = new Caveat.DailyWindow(9 * 60, 17 * 60);
        assertFalse(office.containsMinute(9 * 60 - 1));
        assertTrue(office.containsMinute(9 * 60));
        assertTrue(office.containsMinute(17 * 60 - 1));
        assertFalse(office.containsMinute(17 * 60));
        assertFalse(office.containsMinute(0));
        assertEquals("time in 09:00-17:00 UTC", office.toString());
    }

    @Test
    void dailyWindow_startingAfterItEnds_wrapsPastMidnight() {
        Caveat.DailyWindow night = new Caveat.DailyWindow(22 * 60, 6 * 60);
        assertTrue(night.containsMinute(22 * 60));
        assertTrue(night.containsMinute(23 * 60 + 59));
        assertTrue(night.containsMinute(0));
        assertTrue(night.containsMinute(6 * 60 - 1));
        assertFalse(night.containsMinute(6 * 60));
        assertFalse(night.containsMinute(12 * 60));
        assertFalse(night.containsMinute(22 * 60 - 1));
        assertEquals("time in 22:00-06:00 UTC", night.toString());
    }

    @Test
    void dailyWindow_endingAtMidnight_coversTheLastMinute() {
        Caveat.DailyWindow evening = new Caveat.DailyWindow(18 * 60, 1440);
        assertTrue(evening.containsMinute(1439));
        assertFalse(evening.containsMinute(0));
        assertEquals("time in 18:00-24:00 UTC", evening.toString());
    }

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource({"-1, 60", "1440, 60", "0, -1", "0, 1441", "60, 60", "0, 1440", "0, 0"})
    void dailyWindow_refusesOutOfRangeEmptyOrWholeDay(int start, int end) {
        assertMalformed(() -> new Caveat.DailyWindow(start, end));
    }

    @Test
    void paramRange_needsAValidNameAndAtLeastOneBoundInOrder() {
        assertMalformed(() -> new Caveat.ParamRange("speed", Long.MIN_VALUE, Long.MAX_VALUE));
        assertMalformed(() -> new Caveat.ParamRange("speed", 5, 4));
        assertMalformed(() -> new Caveat.ParamRange("Speed", 0, 4));
        assertMalformed(() -> new Caveat.ParamRange("fan speed", 0, 4));
        assertMalformed(() -> new Caveat.ParamRange(null, 0, 4));
        assertMalformed(() -> new Caveat.ParamRange("x" + "a".repeat(32), 0, 4));
        new Caveat.ParamRange("speed", 4, 4);
    }

    @Test
    void paramRange_printsItsBoundsAsDecimals() {
        assertEquals("temperature in [15,25.5]",
                new Caveat.ParamRange("temperature", 15_000_000, 25_500_000).toString());
        assertEquals("fanSpeed <= 3", new Caveat.ParamRange("fanSpeed", Long.MIN_VALUE, 3_000_000).toString());
        assertEquals("volume >= -2.5", new Caveat.ParamRange("volume", -2_500_000, Long.MAX_VALUE).toString());
        assertTrue(new Caveat.ParamRange("v", 1, Long.MAX_VALUE).hasMin());
        assertFalse(new Caveat.ParamRange("v", 1, Long.MAX_VALUE).hasMax());
    }

    @Test
    void minConfidence_liesBetweenZeroAndOne() {
        assertEquals("confidence >= 0.95", new Caveat.MinConfidence(950_000).toString());
        new Caveat.MinConfidence(0);
        new Caveat.MinConfidence(Caveat.MICROS);
        assertMalformed(() -> new Caveat.MinConfidence(-1));
        assertMalformed(() -> new Caveat.MinConfidence(Caveat.MICROS + 1));
    }

    @Test
    void everyCaveatKind_survivesSigningAndDecoding() {
        List<Caveat> all = List.of(
                new Caveat.ParamRange("a", -5, 5),
                new Caveat.ParamRange("b", Long.MIN_VALUE, -7),
                new Caveat.ParamRange("c", 7, Long.MAX_VALUE),
                new Caveat.DailyWindow(0, 1),
                new Caveat.DailyWindow(1439, 1440),
                new Caveat.DailyWindow(1439, 0),
                new Caveat.MinConfidence(0),
                new Caveat.MinConfidence(Caveat.MICROS));
        assertEquals(all, roundTrip(all));
    }

    @Test
    void paramRange_everyRangeTheConstructorAccepts_survivesSigningAndDecoding() {
        // A signer must never be able to produce a grant that no verifier can read back.
        long[] edges = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        List<Caveat> accepted = new ArrayList<>();
        for (long min : edges) {
            for (long max : edges) {
                try {
                    accepted.add(new Caveat.ParamRange("edge", min, max));
                } catch (WaveException refused) {
                    assertEquals(ErrorCode.MALFORMED, refused.code());
                }
            }
        }
        for (Caveat c : accepted) {
            assertEquals(List.of(c), roundTrip(List.of(c)), c::toString);
        }
    }

    private static List<Caveat> roundTrip(List<Caveat> caveats) {
        Attestation a = grant().caveats(caveats).sign();
        return UnverifiedAttestation.decode(a.encoded()).verify(ALICE.entity()).body().caveats();
    }

    private static void assertMalformed(Executable call) {
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, call).code());
    }
}
