package io.wave.agent.ml;

import io.wave.crypto.WaveException;
import java.util.Locale;
import java.util.Random;

/**
 * A deterministic synthetic building, for tests and the demo: nothing is downloaded. Each row is one
 * room at one moment: the hour of day, motion events per minute and CO2 in ppm, labelled {@code occupied}
 * or {@code vacant}. Occupancy follows the working day (likely from 08:00 to 18:00, rare at night);
 * motion and CO2 follow occupancy, with noise wide enough that the classes overlap, as real sensors do.
 * The same seed gives the same rows, byte for byte, on every JVM ({@link Random}'s algorithm is specified).
 */
public final class SyntheticBuilding {
    /** The CSV header; the label column is {@value #LABEL}. */
    public static final String HEADER = "hour,motion,co2,occupied";
    public static final String LABEL = "occupied";
    public static final String OCCUPIED = "occupied";
    public static final String VACANT = "vacant";
    /** A million rows is about 25 MB of CSV: plenty to train on, and a bound on what one command writes. */
    public static final int MAX_ROWS = 1_000_000;

    private final Random random;

    public SyntheticBuilding(long seed) {
        this.random = new Random(seed);
    }

    /** One row, in the column order of {@link #HEADER}. */
    public record Row(double hour, double motion, double co2, boolean occupied) {
        public String csv() {
            return String.format(Locale.ROOT, "%.2f,%.2f,%.1f,%s", hour, motion, co2, occupied ? OCCUPIED : VACANT);
        }

        /** The features as the trained model takes them, in its input order (names sorted: co2, hour, motion). */
        public float[] features() {
            return new float[] {(float) co2, (float) hour, (float) motion};
        }
    }

    public Row next() {
        double hour = random.nextDouble() * 24;
        boolean workday = hour >= 8 && hour < 18;
        boolean occupied = random.nextDouble() < (workday ? 0.8 : 0.1);
        double motion = Math.max(0, occupied ? 3.0 + 2.0 * random.nextGaussian() : 0.4 + 0.8 * random.nextGaussian());
        double co2 = Math.max(380, occupied ? 780 + 160 * random.nextGaussian() : 470 + 90 * random.nextGaussian());
        return new Row(hour, motion, co2, occupied);
    }

    /** {@code rows} rows as CSV with {@link #HEADER}, one per line. */
    public static String csv(long seed, int rows) {
        if (rows < 1 || rows > MAX_ROWS) {
            throw WaveException.badArgument("--rows is 1 to " + MAX_ROWS + ", not " + rows);
        }
        SyntheticBuilding b = new SyntheticBuilding(seed);
        StringBuilder sb = new StringBuilder(rows * 26).append(HEADER).append('\n');
        for (int i = 0; i < rows; i++) {
            sb.append(b.next().csv()).append('\n');
        }
        return sb.toString();
    }
}
