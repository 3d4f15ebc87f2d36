package io.wave.agent.bench;

import java.util.Arrays;

/**
 * Side-by-side timing in one JVM: the operations being compared are interleaved round by round, so
 * that whatever the machine does meanwhile falls on all of them alike, and each figure is the median
 * over rounds of the mean time per operation in that round. Public for the benchmarks of modules above
 * this one ({@code wave bench compare}), which time the same way.
 */
public final class Timing {
    /** Keeps results alive so the JIT cannot discard the work. */
    public static volatile long sink;

    private Timing() {}

    /** Runs {@code op} until about {@code millis} have passed, to let the JIT compile it. */
    public static void warm(Runnable op, long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        do {
            for (int i = 0; i < 16; i++) {
                op.run();
            }
        } while (System.nanoTime() < end);
    }

    /** Ops needed for one round of about {@code roundMicros}. */
    static int batch(Runnable op, double roundMicros) {
        long t0 = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - t0 < 2_000_000) {
            op.run();
            n++;
        }
        double perOp = (System.nanoTime() - t0) / 1000.0 / n;
        return (int) Math.max(1, Math.min(1_000_000, roundMicros / perOp));
    }

    /**
     * Interleaves the ops for {@code rounds} rounds and returns each op's median time per operation, in
     * microseconds.
     */
    static double[] compare(int rounds, double roundMicros, Runnable... ops) {
        double[][] per = rounds(rounds, roundMicros, ops);
        double[] med = new double[ops.length];
        for (int i = 0; i < ops.length; i++) {
            med[i] = median(per[i]);
        }
        return med;
    }

    /**
     * Interleaves the ops for {@code rounds} rounds as {@link #compare} does, and returns each op's mean time
     * per operation in each round, in microseconds ({@code [op][round]}): for a spread beside the median.
     */
    public static double[][] rounds(int rounds, double roundMicros, Runnable... ops) {
        int[] n = new int[ops.length];
        for (int i = 0; i < ops.length; i++) {
            n[i] = batch(ops[i], roundMicros);
        }
        double[][] per = new double[ops.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < ops.length; i++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < n[i]; k++) {
                    ops[i].run();
                }
                per[i][r] = (System.nanoTime() - t0) / 1000.0 / n[i];
            }
        }
        return per;
    }

    /**
     * Times each op call by call, interleaved ({@code ops[0]}, {@code ops[1]}, ... then again), {@code calls}
     * times: for latency percentiles, where {@link #compare}'s per-round means would hide the tail.
     *
     * @return nanoseconds per call, per op
     */
    static long[][] interleaved(int calls, Runnable... ops) {
        long[][] t = new long[ops.length][calls];
        for (int k = 0; k < calls; k++) {
            for (int i = 0; i < ops.length; i++) {
                long t0 = System.nanoTime();
                ops[i].run();
                t[i][k] = System.nanoTime() - t0;
            }
        }
        return t;
    }

    /** The {@code p}-th percentile (nearest rank) of {@code xs}. */
    static long percentile(long[] xs, double p) {
        long[] s = xs.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    public static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /** The {@code p}-th percentile (nearest rank) of {@code xs}. */
    public static double percentile(double[] xs, double p) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    public static double round2(double x) {
        return Math.round(x * 100) / 100.0;
    }

    static double round3(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
