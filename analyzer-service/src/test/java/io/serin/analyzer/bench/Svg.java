package io.serin.analyzer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Line charts as plain SVG, small enough to read in a diff: axes, ticks, one polyline per series. */
final class Svg {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 360;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"};

    /** One line: its legend and its points (x, y). */
    record Series(String name, double[] xs, double[] ys) {
    }

    private Svg() {
    }

    static void lineChart(Path file, String title, String xLabel, String yLabel, List<Series> series,
            boolean logX) throws IOException {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                double x = logX ? Math.log10(Math.max(s.xs()[i], 1e-9)) : s.xs()[i];
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
                yMax = Math.max(yMax, s.ys()[i]);
            }
        }
        if (logX) {
            xMin = Math.floor(xMin);
            xMax = Math.ceil(xMax);
        } else {
            xMin = Math.min(0, xMin);
            xMax = niceCeiling(xMax);
        }
        yMax = niceCeiling(yMax);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                + "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT,
                WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(text(WIDTH / 2.0, 20, "middle", 14, title));
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i <= 5; i++) {
            double y = TOP + plotH - plotH * i / 5;
            svg.append(line(LEFT, y, WIDTH - RIGHT, y, "#ddd"));
            svg.append(text(LEFT - 6, y + 4, "end", 11, number(yMax * i / 5)));
        }
        int xTicks = logX ? (int) (xMax - xMin) : 6;
        for (int i = 0; i <= xTicks; i++) {
            double x = LEFT + plotW * i / xTicks;
            double value = xMin + (xMax - xMin) * i / xTicks;
            svg.append(line(x, TOP, x, TOP + plotH, "#eee"));
            svg.append(text(x, TOP + plotH + 16, "middle", 11, number(logX ? Math.pow(10, value) : value)));
        }
        svg.append(line(LEFT, TOP + plotH, WIDTH - RIGHT, TOP + plotH, "#333"));
        svg.append(line(LEFT, TOP, LEFT, TOP + plotH, "#333"));
        svg.append(text(LEFT + plotW / 2, HEIGHT - 10, "middle", 12, xLabel));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 16 %.1f)\">%s</text>%n", TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.xs().length; i++) {
                double xv = logX ? Math.log10(Math.max(s.xs()[i], 1e-9)) : s.xs()[i];
                double x = LEFT + plotW * (xv - xMin) / (xMax - xMin);
                double y = TOP + plotH - plotH * s.ys()[i] / yMax;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            String colour = COLOURS[k % COLOURS.length];
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    + "points=\"%s\"/>%n", colour, points.toString().trim()));
            double ly = TOP + 16 + 16 * k;
            svg.append(line(LEFT + 12, ly - 4, LEFT + 36, ly - 4, colour));
            svg.append(text(LEFT + 42, ly, "start", 12, s.name()));
        }
        svg.append("</svg>\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, svg);
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String number(double v) {
        if (v >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", v / 1_000_000);
        }
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1_000);
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                x1, y1, x2, y2, colour);
    }

    private static String text(double x, double y, String anchor, int size, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, escape(content));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
