package io.wave.testnet.compare;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A line chart as a standalone SVG: one line per series against integer x values, y on a log scale (the
 * figures compared span four orders of magnitude), with axes, decade ticks, a legend, a title and a
 * caption. Plain SVG 1.1 with a white background and no fonts, scripts or styles from outside, so that it
 * renders the same in a browser and in a README.
 */
final class SvgChart {
    private static final int WIDTH = 820;
    private static final int HEIGHT = 500;
    private static final int LEFT = 78;
    private static final int RIGHT = 210;
    private static final int TOP = 56;
    private static final int BOTTOM = 116;
    private static final String FONT = "font-family=\"Helvetica, Arial, sans-serif\"";

    private SvgChart() {}

    /** One line: its name in the legend, its colour, dashed or solid, and one y value per x. */
    record Series(String name, String color, boolean dashed, double[] values) {
        Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(color, "color");
            values = values.clone();
            for (double v : values) {
                if (!(v > 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("a log scale needs positive finite values: " + name);
                }
            }
        }

        @Override
        public double[] values() {
            return values.clone();
        }
    }

    /**
     * The chart of {@code series} against {@code xs} (one value per x in each series), y in microseconds.
     *
     * @param caption lines under the plot: how the figures were made, on what machine
     */
    static String render(String title, String xLabel, String yLabel, int[] xs, List<Series> series,
            List<String> caption) {
        if (xs.length < 2 || series.isEmpty()) {
            throw new IllegalArgumentException("a chart needs two x values and a series");
        }
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Series s : series) {
            if (s.values.length != xs.length) {
                throw new IllegalArgumentException(s.name + ": " + s.values.length + " values for " + xs.length + " x");
            }
            for (double v : s.values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        int lo = (int) Math.floor(Math.log10(min));
        int hi = (int) Math.ceil(Math.log10(max));
        if (hi == lo) {
            hi++;
        }
        Plot p = new Plot(xs[0], xs[xs.length - 1], lo, hi);

        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\">\n");
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        svg.append("<text x=\"").append(WIDTH / 2).append("\" y=\"28\" text-anchor=\"middle\" font-size=\"17\" ")
                .append("font-weight=\"bold\" fill=\"#222222\" ").append(FONT).append('>').append(escape(title))
                .append("</text>\n");

        // Grid and y ticks: a labelled line per decade, faint lines at 2..9 times it.
        svg.append("<g class=\"grid\">\n");
        for (int d = lo; d <= hi; d++) {
            double y = p.y(Math.pow(10, d));
            svg.append(line(LEFT, y, WIDTH - RIGHT, y, "#c8c8c8", 1, false));
            svg.append("<text x=\"").append(LEFT - 8).append("\" y=\"").append(fmt(y + 4))
                    .append("\" text-anchor=\"end\" font-size=\"12\" fill=\"#333333\" ").append(FONT).append('>')
                    .append(escape(micros(Math.pow(10, d)))).append("</text>\n");
            if (d < hi) {
                for (int m = 2; m <= 9; m++) {
                    double ym = p.y(m * Math.pow(10, d));
                    svg.append(line(LEFT, ym, WIDTH - RIGHT, ym, "#eeeeee", 1, false));
                }
            }
        }
        for (int x : xs) {
            double px = p.x(x);
            svg.append(line(px, TOP, px, HEIGHT - BOTTOM, "#eeeeee", 1, false));
            svg.append("<text x=\"").append(fmt(px)).append("\" y=\"").append(HEIGHT - BOTTOM + 18)
                    .append("\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333333\" ").append(FONT).append('>')
                    .append(x).append("</text>\n");
        }
        svg.append("</g>\n");

        // Axes and their labels.
        svg.append(line(LEFT, TOP, LEFT, HEIGHT - BOTTOM, "#333333", 1, false));
        svg.append(line(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, "#333333", 1, false));
        svg.append("<text x=\"").append((LEFT + WIDTH - RIGHT) / 2).append("\" y=\"").append(HEIGHT - BOTTOM + 40)
                .append("\" text-anchor=\"middle\" font-size=\"13\" fill=\"#222222\" ").append(FONT).append('>')
                .append(escape(xLabel)).append("</text>\n");
        int midY = (TOP + HEIGHT - BOTTOM) / 2;
        svg.append("<text x=\"18\" y=\"").append(midY).append("\" transform=\"rotate(-90 18 ").append(midY)
                .append(")\" text-anchor=\"middle\" font-size=\"13\" fill=\"#222222\" ").append(FONT).append('>')
                .append(escape(yLabel)).append("</text>\n");

        // One group per series: its line, its points (each with a tooltip), its legend entry.
        int legendY = TOP + 10;
        for (Series s : series) {
            svg.append("<g class=\"series\" data-name=\"").append(escape(s.name)).append("\">\n");
            svg.append("<title>").append(escape(s.name)).append("</title>\n");
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < xs.length; i++) {
                points.append(i == 0 ? "" : " ").append(fmt(p.x(xs[i]))).append(',').append(fmt(p.y(s.values[i])));
            }
            svg.append("<polyline fill=\"none\" stroke=\"").append(s.color).append("\" stroke-width=\"2.2\"")
                    .append(s.dashed ? " stroke-dasharray=\"6 4\"" : "").append(" points=\"").append(points)
                    .append("\"/>\n");
            for (int i = 0; i < xs.length; i++) {
                svg.append("<circle cx=\"").append(fmt(p.x(xs[i]))).append("\" cy=\"").append(fmt(p.y(s.values[i])))
                        .append("\" r=\"3.2\" fill=\"").append(s.color).append("\"><title>").append(escape(s.name))
                        .append(", ").append(xs[i]).append(": ").append(escape(micros(s.values[i])))
                        .append("</title></circle>\n");
            }
            int lx = WIDTH - RIGHT + 18;
            svg.append(line(lx, legendY, lx + 28, legendY, s.color, 2.2, s.dashed));
            svg.append("<text x=\"").append(lx + 36).append("\" y=\"").append(legendY + 4)
                    .append("\" font-size=\"13\" fill=\"#222222\" ").append(FONT).append('>').append(escape(s.name))
                    .append("</text>\n");
            svg.append("</g>\n");
            legendY += 24;
        }

        int cy = HEIGHT - BOTTOM + 62;
        for (String c : caption) {
            svg.append("<text x=\"").append(LEFT).append("\" y=\"").append(cy).append("\" font-size=\"11\" ")
                    .append("fill=\"#555555\" ").append(FONT).append('>').append(escape(c)).append("</text>\n");
            cy += 15;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Maps x (linear) and y (log) into the plot area. */
    private record Plot(int x0, int x1, int lo, int hi) {
        double x(double v) {
            return LEFT + (v - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
        }

        double y(double v) {
            double f = (Math.log10(v) - lo) / (hi - lo);
            return HEIGHT - BOTTOM - f * (HEIGHT - TOP - BOTTOM);
        }
    }

    private static String line(double x1, double y1, double x2, double y2, String color, double width,
            boolean dashed) {
        return "<line x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2)
                + "\" stroke=\"" + color + "\" stroke-width=\"" + width + "\""
                + (dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>\n";
    }

    /** A duration in microseconds as a tick or tooltip shows it: µs below a millisecond, ms above. */
    static String micros(double us) {
        if (us >= 1000) {
            return trim(us / 1000) + " ms";
        }
        return trim(us) + " µs";
    }

    private static String trim(double v) {
        String s = v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 1 ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.2g", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
