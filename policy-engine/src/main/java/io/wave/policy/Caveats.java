package io.wave.policy;

import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Caveat;
import io.wave.crypto.objects.ParamValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A conjunction of caveats, normalised: one range per parameter (the intersection of every bound on
 * it), the set of daily windows (all must hold), the highest confidence floor. Along a path caveats
 * conjoin with {@link #and(Caveats)}.
 */
public final class Caveats {
    public static final Caveats NONE = new Caveats(Map.of(), Set.of(), -1);

    /** Caveat expressions as users type them. */
    private static final Pattern RANGE = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s+in\\s+\\[\\s*([-+0-9.]+)\\s*,\\s*([-+0-9.]+)\\s*]\\s*");
    private static final Pattern BOUND = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(>=|<=)\\s*([-+0-9.]+)\\s*");
    private static final Pattern WINDOW = Pattern.compile("\\s*time\\s+in\\s+(\\d{2}):(\\d{2})\\s*-\\s*(\\d{2}):(\\d{2})(\\s+UTC)?\\s*");
    /** The parameter name reserved for a model's confidence. */
    public static final String CONFIDENCE = "confidence";

    private final Map<String, long[]> ranges;
    private final Set<Caveat.DailyWindow> windows;
    private final long minConfidence;

    private Caveats(Map<String, long[]> ranges, Set<Caveat.DailyWindow> windows, long minConfidence) {
        this.ranges = ranges;
        this.windows = windows;
        this.minConfidence = minConfidence;
    }

    public static Caveats of(List<Caveat> caveats) {
        if (caveats.isEmpty()) {
            return NONE;
        }
        Map<String, long[]> ranges = new TreeMap<>();
        Set<Caveat.DailyWindow> windows = new LinkedHashSet<>();
        long conf = -1;
        for (Caveat c : caveats) {
            if (c instanceof Caveat.ParamRange r) {
                narrow(ranges, r.param(), r.minMicros(), r.maxMicros());
            } else if (c instanceof Caveat.DailyWindow w) {
                windows.add(w);
            } else {
                conf = Math.max(conf, ((Caveat.MinConfidence) c).micros());
            }
        }
        return new Caveats(Map.copyOf(ranges), Set.copyOf(windows), conf);
    }

    private static void narrow(Map<String, long[]> ranges, String param, long min, long max) {
        long[] cur = ranges.get(param);
        ranges.put(param, cur == null ? new long[] {min, max} : new long[] {Math.max(cur[0], min), Math.min(cur[1], max)});
    }

    /** Both sets of conditions at once. */
    public Caveats and(Caveats other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Map<String, long[]> r = new TreeMap<>(ranges);
        other.ranges.forEach((k, v) -> narrow(r, k, v[0], v[1]));
        Set<Caveat.DailyWindow> w = new LinkedHashSet<>(windows);
        w.addAll(other.windows);
        return new Caveats(Map.copyOf(r), Set.copyOf(w), Math.max(minConfidence, other.minConfidence));
    }

    public boolean isEmpty() {
        return ranges.isEmpty() && windows.isEmpty() && minConfidence < 0;
    }

    /** True when some caveat needs command parameters or a confidence to be decided. */
    public boolean needsContext() {
        return !ranges.isEmpty() || minConfidence >= 0;
    }

    /**
     * The caveats that only a use can decide (parameter bounds, the confidence floor), as text: what a check
     * without a context leaves unevaluated. Empty when {@link #needsContext()} is false.
     */
    public List<String> conditions() {
        List<String> out = new ArrayList<>();
        new TreeMap<>(ranges).forEach((k, r) -> out.add(describe(k, r)));
        if (minConfidence >= 0) {
            out.add(new Caveat.MinConfidence(minConfidence).toString());
        }
        return out;
    }

    /**
     * Checks the caveats at {@code now} against {@code context}; returns null when they all hold, or a
     * one-line reason naming the first that does not. With {@code context} null only the daily windows
     * are checked, and the {@link #conditions()} are left for the caller to account for: a verifier never
     * calls that valid on its own ({@link ReasonCode#CAVEAT_UNCHECKED}). Values compare exactly, in
     * millionths.
     */
    public String violation(Instant now, CaveatContext context) {
        Caveat.DailyWindow closed = windowExcluding(now);
        if (closed != null) {
            return "outside the daily window " + closed;
        }
        if (context == null) {
            return null;
        }
        for (Map.Entry<String, long[]> e : ranges.entrySet()) {
            ParamValue.Number v = context.params().get(e.getKey());
            long[] r = e.getValue();
            if (v == null) {
                return "parameter '" + e.getKey() + "' is required by a caveat";
            }
            // An open end is Long.MIN_VALUE or Long.MAX_VALUE, which no value lies beyond: no special case.
            if (r[0] > r[1] || v.micros() < r[0] || v.micros() > r[1]) {
                return "parameter '" + e.getKey() + "' = " + v + " breaks " + describe(e.getKey(), r);
            }
        }
        if (minConfidence >= 0) {
            ParamValue.Number c = context.confidence();
            if (c == null || c.micros() < minConfidence) {
                return "confidence " + (c == null ? "missing" : c) + " is below "
                        + new Caveat.MinConfidence(minConfidence).toString().substring("confidence >= ".length());
            }
        }
        return null;
    }

    /** The first daily window that does not hold at {@code now}, or null when every one does (or there are none). */
    public Caveat.DailyWindow windowExcluding(Instant now) {
        if (!windows.isEmpty()) {
            int minute = (int) Math.floorMod(now.getEpochSecond() / 60, 1440L);
            for (Caveat.DailyWindow w : windows) {
                if (!w.containsMinute(minute)) {
                    return w;
                }
            }
        }
        return null;
    }

    private static String describe(String param, long[] r) {
        if (r[0] > r[1]) {
            return "conflicting bounds on " + param;
        }
        return new Caveat.ParamRange(param, r[0], r[1]).toString();
    }

    /** Human-readable conditions, one per parameter, window and floor, in a stable order. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        new TreeMap<>(ranges).forEach((k, r) -> out.add(describe(k, r)));
        windows.stream().map(Caveat::toString).sorted().forEach(out::add);
        if (minConfidence >= 0) {
            out.add(new Caveat.MinConfidence(minConfidence).toString());
        }
        return out;
    }

    /**
     * The first instant after {@code now} at which {@link #violation} could answer differently for the same
     * context: a daily window opening or closing. {@link Instant#MAX} when no caveat depends on the time.
     * Whoever keeps an answer computed at {@code now} (the agent's verdict cache) must not serve it from
     * this instant on, however long the grants themselves stay valid.
     */
    public Instant nextChange(Instant now) {
        long day = 86_400L;
        long sec = now.getEpochSecond();
        long midnight = Math.floorDiv(sec, day) * day;
        long next = Long.MAX_VALUE;
        for (Caveat.DailyWindow w : windows) {
            for (int minute : new int[] {w.startMinute(), w.endMinute()}) {
                long at = midnight + minute * 60L;
                next = Math.min(next, at > sec ? at : at + day);
            }
        }
        return next == Long.MAX_VALUE ? Instant.MAX : Instant.ofEpochSecond(next);
    }

    /**
     * Parses a caveat as users write it: {@code setpoint in [18,26]}, {@code setpoint >= 18},
     * {@code setpoint <= 26}, {@code time in 08:00-18:00} (UTC), {@code confidence >= 0.8}.
     *
     * @throws WaveException BAD_ARGUMENT with the accepted forms when the text is none of them
     */
    public static Caveat parse(String text) {
        Matcher m = WINDOW.matcher(text);
        if (m.matches()) {
            int s = minute(m.group(1), m.group(2));
            int e = minute(m.group(3), m.group(4));
            return wrap(() -> new Caveat.DailyWindow(s, e == 0 ? 1440 : e));
        }
        Matcher r = RANGE.matcher(text);
        if (r.matches()) {
            rejectReserved(r.group(1));
            return wrap(() -> new Caveat.ParamRange(r.group(1), Caveat.micros(r.group(2)), Caveat.micros(r.group(3))));
        }
        Matcher b = BOUND.matcher(text);
        if (b.matches()) {
            long v = Caveat.micros(b.group(3));
            boolean ge = b.group(2).equals(">=");
            if (b.group(1).equals(CONFIDENCE)) {
                if (!ge) {
                    throw WaveException.badArgument("a confidence caveat is a floor: confidence >= X");
                }
                return wrap(() -> new Caveat.MinConfidence(v));
            }
            return wrap(() -> new Caveat.ParamRange(b.group(1), ge ? v : Long.MIN_VALUE, ge ? Long.MAX_VALUE : v));
        }
        throw WaveException.badArgument("caveat '" + text + "' is none of: NAME in [LO,HI] | NAME >= X | NAME <= X"
                + " | time in HH:MM-HH:MM | confidence >= X");
    }

    private static void rejectReserved(String name) {
        if (name.equals(CONFIDENCE)) {
            throw WaveException.badArgument("use 'confidence >= X' for a confidence floor");
        }
    }

    private static Caveat wrap(java.util.function.Supplier<Caveat> make) {
        try {
            return make.get();
        } catch (WaveException e) {
            throw WaveException.badArgument(e.getMessage());
        }
    }

    private static int minute(String hh, String mm) {
        int h = Integer.parseInt(hh);
        int m = Integer.parseInt(mm);
        if (h > 24 || m > 59 || (h == 24 && m != 0)) {
            throw WaveException.badArgument("a time of day is HH:MM between 00:00 and 24:00");
        }
        return h * 60 + m;
    }
}
