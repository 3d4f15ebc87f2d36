package io.wave.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Caveat;
import io.wave.crypto.objects.ParamValue;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Caveats as users write them, and how they hold when a grant is used: alone and conjoined along a path. */
class CaveatsTest {
    /** 2026-01-01T00:00:00Z; {@link #at} adds a time of day. */
    private static final long MIDNIGHT = 1_767_225_600L;

    @Test
    void parse_range() {
        assertEquals(new Caveat.ParamRange("setpoint", 18_000_000, 26_000_000), Caveats.parse("setpoint in [18,26]"));
        assertEquals(new Caveat.ParamRange("setpoint", 18_500_000, 26_250_000),
                Caveats.parse("  setpoint in [ 18.5 , 26.25 ]  "));
        assertEquals(new Caveat.ParamRange("offset", -2_000_000, 2_000_000), Caveats.parse("offset in [-2,+2]"));
    }

    @Test
    void parse_oneSidedBounds() {
        assertEquals(new Caveat.ParamRange("setpoint", 18_000_000, Long.MAX_VALUE), Caveats.parse("setpoint >= 18"));
        assertEquals(new Caveat.ParamRange("setpoint", Long.MIN_VALUE, 26_000_000), Caveats.parse("setpoint <= 26"));
        assertEquals(new Caveat.ParamRange("fan", 0, Long.MAX_VALUE), Caveats.parse("fan>=0"));
    }

    @Test
    void parse_dailyWindow() {
        assertEquals(new Caveat.DailyWindow(8 * 60, 18 * 60), Caveats.parse("time in 08:00-18:00"));
        assertEquals(new Caveat.DailyWindow(8 * 60, 18 * 60), Caveats.parse("time in 08:00 - 18:00 UTC"));
        assertEquals(new Caveat.DailyWindow(22 * 60, 6 * 60), Caveats.parse("time in 22:00-06:00"));
        assertEquals(new Caveat.DailyWindow(18 * 60, 1440), Caveats.parse("time in 18:00-00:00"), "midnight ends a day");
        assertEquals(new Caveat.DailyWindow(18 * 60, 1440), Caveats.parse("time in 18:00-24:00"));
    }

    @Test
    void parse_confidenceFloor() {
        assertEquals(new Caveat.MinConfidence(800_000), Caveats.parse("confidence >= 0.8"));
        assertEquals(new Caveat.MinConfidence(1_000_000), Caveats.parse("confidence >= 1"));
    }

    @Test
    void parse_printsBackWhatItRead() {
        for (String text : List.of("setpoint in [18,26]", "setpoint >= 18.5", "setpoint <= 26", "confidence >= 0.8",
                "time in 08:00-18:00 UTC", "time in 22:00-06:00 UTC")) {
            assertEquals(text, Caveats.parse(text).toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "setpoint",
        "setpoint in 18,26",
        "setpoint in [26,18]",
        "setpoint in [18,]",
        "setpoint == 18",
        "setpoint > 18",
        "setpoint >= eighteen",
        "setpoint >= 1.2.3",
        "setpoint >= 18.0000001",
        "setpoint >= 99999999999999",
        "Setpoint >= 18",
        "set point >= 18",
        "confidence <= 0.5",
        "confidence >= 1.5",
        "confidence >= -0.1",
        "confidence in [0.5,1]",
        "time in 8:00-18:00",
        "time in 08:00-25:00",
        "time in 08:60-18:00",
        "time in 24:30-08:00",
        "time in 08:00-18:00 CET",
        "time in 08:00-08:00",
        "time in 00:00-00:00",
        "time in 24:00-08:00",
    })
    void parse_rejectsWhatIsNoneOfTheForms(String text) {
        WaveException e = assertThrows(WaveException.class, () -> Caveats.parse(text), text);
        assertEquals(ErrorCode.BAD_ARGUMENT, e.code(), text + ": " + e.getMessage());
    }

    @Test
    void none_holdsAlways() {
        assertTrue(Caveats.NONE.isEmpty());
        assertFalse(Caveats.NONE.needsContext());
        assertNull(Caveats.NONE.violation(at(3, 0), CaveatContext.NONE));
        assertSame(Caveats.NONE, Caveats.of(List.of()));
    }

    @Test
    void range_holdsInsideAndAtItsBounds() {
        Caveats c = of("setpoint in [18,26]");
        assertTrue(c.needsContext());
        for (String v : List.of("18", "21.5", "26", "26.000000")) {
            assertNull(c.violation(at(12, 0), params("setpoint", v)), "setpoint " + v);
        }
        for (String v : List.of("17.999999", "26.000001", "-20", "9223372036854.775807", "-9223372036854.775808")) {
            assertNotNull(c.violation(at(12, 0), params("setpoint", v)), "setpoint " + v);
        }
    }

    @Test
    void range_comparesExactlyAboveTwoToThe33() {
        // The numbers: a double cannot tell these apart, and six decimals are promised exact.
        Caveats c = of("x in [10000000000.000001, 10000000000.000003]");
        assertNotNull(c.violation(at(12, 0), params("x", "10000000000")));
        assertNotNull(c.violation(at(12, 0), params("x", "10000000000.000004")));
        assertNotNull(c.violation(at(12, 0), params("x", "10000000000.000000")));
        for (String inside : List.of("10000000000.000001", "10000000000.000002", "10000000000.000003")) {
            assertNull(c.violation(at(12, 0), params("x", inside)), inside);
        }
    }

    @Test
    void context_refusesMorePrecisionThanSixDecimalsInsteadOfRounding() {
        for (String v : List.of("10000000000.0000025", "21.5000001", "1e-7", "1e400", "-1e400", "9223372036854.775808")) {
            WaveException e = assertThrows(WaveException.class,
                    () -> CaveatContext.ofDecimals(Map.of("x", new java.math.BigDecimal(v)), null), v);
            assertEquals(ErrorCode.BAD_ARGUMENT, e.code(), v);
        }
        for (String c : List.of("0.8000001", "-0.1", "1.000001")) {
            WaveException e = assertThrows(WaveException.class,
                    () -> CaveatContext.ofDecimals(Map.of(), new java.math.BigDecimal(c)), c);
            assertEquals(ErrorCode.BAD_ARGUMENT, e.code(), c);
        }
        assertEquals(ParamValue.number("21.5"),
                CaveatContext.ofDecimals(Map.of("x", new java.math.BigDecimal("21.5000000")), null).params().get("x"),
                "trailing zeros are not precision");
    }

    @Test
    void range_isViolatedWhenTheParameterIsMissing() {
        String v = of("setpoint <= 26").violation(at(12, 0), params("fan", "1"));
        assertTrue(v != null && v.contains("setpoint"), v);
    }

    @Test
    void parameterCaveats_areConditionsWhenThereIsNoContext() {
        Caveats c = of("setpoint in [18,26]", "confidence >= 0.9", "time in 08:00-18:00");
        assertNull(c.violation(at(12, 0), null));
        assertEquals(List.of("setpoint in [18,26]", "confidence >= 0.9"), c.conditions(),
                "what a verifier must report as unchecked, never pass silently");
        assertNotNull(c.violation(at(12, 0), CaveatContext.NONE));
        assertEquals(List.of(), of("time in 08:00-18:00").conditions());
    }

    @Test
    void confidence_isAFloor() {
        Caveats c = of("confidence >= 0.8");
        assertNull(c.violation(at(12, 0), CaveatContext.NONE.withConfidence(ParamValue.number("0.8"))));
        assertNull(c.violation(at(12, 0), CaveatContext.NONE.withConfidence(ParamValue.number("0.95"))));
        assertNotNull(c.violation(at(12, 0), CaveatContext.NONE.withConfidence(ParamValue.number("0.799999"))));
        assertNotNull(c.violation(at(12, 0), CaveatContext.NONE), "a decision without a confidence has none");
    }

    @Test
    void window_startsInclusiveAndEndsExclusive() {
        Caveats c = of("time in 08:00-18:00");
        assertNotNull(c.violation(at(7, 59), null));
        assertNull(c.violation(at(8, 0), null));
        assertNull(c.violation(at(17, 59), null));
        assertNotNull(c.violation(at(18, 0), null));
    }

    @Test
    void window_wrapsPastMidnight() {
        Caveats night = of("time in 22:00-06:00");
        assertNull(night.violation(at(22, 0), null));
        assertNull(night.violation(at(23, 59), null));
        assertNull(night.violation(at(0, 0), null));
        assertNull(night.violation(at(5, 59), null));
        assertNotNull(night.violation(at(6, 0), null));
        assertNotNull(night.violation(at(12, 0), null));
        assertNotNull(night.violation(at(21, 59), null));
    }

    @Test
    void window_isCheckedByUtcTimeOfDayOnAnyDate() {
        Caveats c = of("time in 08:00-18:00");
        assertNull(c.violation(at(12, 0).plusSeconds(365L * 86_400), null));
        assertNotNull(c.violation(at(3, 0).minusSeconds(20L * 365 * 86_400), null));
    }

    @Test
    void nextChange_isTheNextTimeAWindowOpensOrCloses() {
        Caveats day = of("time in 08:00-18:00");
        assertEquals(at(18, 0), day.nextChange(at(12, 0)));
        assertEquals(at(18, 0), day.nextChange(at(17, 59).plusSeconds(59).plusMillis(999)));
        assertEquals(at(8, 0).plusSeconds(86_400), day.nextChange(at(18, 0)), "closed now: it opens tomorrow");
        assertEquals(at(8, 0), day.nextChange(at(3, 0)));
        Caveats night = of("time in 22:00-06:00");
        assertEquals(at(6, 0).plusSeconds(86_400), night.nextChange(at(23, 0)), "a window past midnight ends tomorrow");
        assertEquals(at(6, 0), night.nextChange(at(1, 0)));
        assertEquals(at(0, 0).plusSeconds(86_400), of("time in 18:00-24:00").nextChange(at(20, 0)));
    }

    @Test
    void nextChange_ofWindowsAlongAPath_isTheEarliest_andNeverWithoutWindows() {
        Caveats both = of("time in 08:00-18:00").and(of("time in 12:00-20:00"));
        assertEquals(at(18, 0), both.nextChange(at(13, 0)));
        assertEquals(Instant.MAX, of("setpoint in [18,26]", "confidence >= 0.8").nextChange(at(13, 0)));
        assertEquals(Instant.MAX, Caveats.NONE.nextChange(at(13, 0)));
    }

    @Test
    void and_intersectsRangesAlongAPath() {
        Caveats path = of("setpoint in [18,26]").and(of("setpoint in [20,30]"));
        assertEquals(List.of("setpoint in [20,26]"), path.describe());
        assertNotNull(path.violation(at(12, 0), params("setpoint", "19")));
        assertNotNull(path.violation(at(12, 0), params("setpoint", "27")));
        assertNull(path.violation(at(12, 0), params("setpoint", "22")));
    }

    @Test
    void and_isTheSameInEitherOrder() {
        Caveats a = of("setpoint >= 18", "time in 08:00-18:00");
        Caveats b = of("setpoint <= 26", "confidence >= 0.7");
        assertEquals(a.and(b).describe(), b.and(a).describe());
        assertEquals(List.of("setpoint in [18,26]", "time in 08:00-18:00 UTC", "confidence >= 0.7"), a.and(b).describe());
    }

    @Test
    void and_keepsTheHighestConfidenceFloor() {
        Caveats c = of("confidence >= 0.6").and(of("confidence >= 0.9")).and(of("confidence >= 0.8"));
        assertEquals(List.of("confidence >= 0.9"), c.describe());
        assertNotNull(c.violation(at(12, 0), CaveatContext.NONE.withConfidence(ParamValue.number("0.85"))));
    }

    @Test
    void and_requiresEveryWindow() {
        Caveats day = of("time in 08:00-18:00").and(of("time in 12:00-20:00"));
        assertNotNull(day.violation(at(10, 0), null));
        assertNull(day.violation(at(13, 0), null));
        assertNotNull(day.violation(at(19, 0), null));
        Caveats never = of("time in 08:00-18:00").and(of("time in 22:00-06:00"));
        for (int h = 0; h < 24; h++) {
            assertNotNull(never.violation(at(h, 30), null), h + ":30");
        }
    }

    @Test
    void and_ofDisjointRangesHoldsForNoValue() {
        Caveats c = of("setpoint in [18,20]").and(of("setpoint in [25,30]"));
        for (String v : List.of("18", "19", "20", "22", "25", "30")) {
            String violation = c.violation(at(12, 0), params("setpoint", v));
            assertTrue(violation != null && violation.contains("conflicting"), v + ": " + violation);
        }
    }

    @Test
    void and_withNothingChangesNothing() {
        Caveats c = of("setpoint in [18,26]");
        assertSame(c, c.and(Caveats.NONE));
        assertSame(c, Caveats.NONE.and(c));
    }

    @Test
    void of_normalisesRepeatedBoundsOnOneParameter() {
        assertEquals(List.of("setpoint in [18,26]"), of("setpoint >= 18", "setpoint <= 26").describe());
        assertEquals(List.of("setpoint >= 20"), of("setpoint >= 18", "setpoint >= 20").describe());
    }

    private static Caveats of(String... texts) {
        return Caveats.of(Arrays.stream(texts).map(Caveats::parse).toList());
    }

    private static CaveatContext params(String name, String value) {
        return CaveatContext.of(Map.of(name, ParamValue.number(value)));
    }

    private static Instant at(int hour, int minute) {
        return Instant.ofEpochSecond(MIDNIGHT + hour * 3600L + minute * 60L);
    }
}
