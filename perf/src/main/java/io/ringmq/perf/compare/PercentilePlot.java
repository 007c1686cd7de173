package io.ringmq.perf.compare;

import io.ringmq.perf.LatencyResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Latency by percentile as a self-contained SVG, in the manner of HdrHistogram's plots: the x axis is
 * {@code 1 / (1 - percentile)} on a log scale (0%, 90%, 99%, 99.9%, ... equally spaced), the y axis latency on a log
 * scale (the systems differ by orders of magnitude), one line per system.
 */
final class PercentilePlot
{
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LEFT = 80;
    private static final int RIGHT = 170;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    /** Up to 99.9999%: 10^6 on the x axis. */
    private static final double MAX_X_DECADES = 6;
    private static final String[] COLOURS = {"#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b"};

    private PercentilePlot()
    {
    }

    /**
     * @param series the runs to draw; each uses its publish→deliver histogram (the round trip for ping-pong).
     */
    static void write(final Path file, final String title, final List<LatencyResult> series)
    {
        try
        {
            Files.writeString(file, svg(title, series), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }

    static String svg(final String title, final List<LatencyResult> series)
    {
        double minUs = Double.MAX_VALUE;
        double maxUs = 0;
        for (final LatencyResult result : series)
        {
            final Histogram histogram = result.deliverNs();
            if (histogram.getTotalCount() > 0)
            {
                minUs = Math.min(minUs, Math.max(0.1, histogram.getMinValue() / 1e3));
                maxUs = Math.max(maxUs, histogram.getMaxValue() / 1e3);
            }
        }
        if (maxUs <= 0)
        {
            minUs = 1;
            maxUs = 10;
        }
        final int lowDecade = (int)Math.floor(Math.log10(minUs));
        final int highDecade = Math.max(lowDecade + 1, (int)Math.ceil(Math.log10(maxUs)));

        final StringBuilder svg = new StringBuilder(16 * 1024);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" " +
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"25\" font-size=\"15\" font-weight=\"bold\">%s</text>\n",
            LEFT, escape(title)));

        final double plotWidth = WIDTH - LEFT - RIGHT;
        final double plotHeight = HEIGHT - TOP - BOTTOM;
        for (int decade = 0; decade <= MAX_X_DECADES; decade++)
        {
            final double x = LEFT + plotWidth * decade / MAX_X_DECADES;
            svg.append(line(x, TOP, x, TOP + plotHeight, "#dddddd"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                x, TOP + plotHeight + 18, percentileLabel(decade)));
        }
        for (int decade = lowDecade; decade <= highDecade; decade++)
        {
            final double y = TOP + plotHeight * (highDecade - decade) / (double)(highDecade - lowDecade);
            svg.append(line(LEFT, y, LEFT + plotWidth, y, "#dddddd"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                LEFT - 6, y + 4, latencyLabel(decade)));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" " +
            "stroke=\"#444444\"/>\n", LEFT, TOP, plotWidth, plotHeight));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">percentile</text>\n",
            LEFT + plotWidth / 2, HEIGHT - 15));
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" " +
            "transform=\"rotate(-90 18 %.1f)\">latency (log scale)</text>\n", TOP + plotHeight / 2, TOP + plotHeight / 2));

        for (int i = 0; i < series.size(); i++)
        {
            final LatencyResult result = series.get(i);
            final String colour = COLOURS[i % COLOURS.length];
            final StringBuilder points = new StringBuilder();
            final Histogram histogram = result.deliverNs();
            if (histogram.getTotalCount() > 0)
            {
                for (final HistogramIterationValue value : histogram.percentiles(5))
                {
                    final double percentile = value.getPercentileLevelIteratedTo();
                    final double xDecades = percentile >= 100 ? MAX_X_DECADES :
                        Math.min(MAX_X_DECADES, Math.log10(100.0 / (100.0 - percentile)));
                    final double us = Math.max(minUs, histogram.highestEquivalentValue(value.getValueIteratedTo()) / 1e3);
                    final double x = LEFT + plotWidth * xDecades / MAX_X_DECADES;
                    final double y = TOP + plotHeight * (highDecade - Math.log10(us)) / (highDecade - lowDecade);
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, Math.max(TOP, Math.min(TOP + plotHeight, y))));
                }
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" " +
                "points=\"%s\"><title>%s</title></polyline>\n", colour, points.toString().trim(),
                escape(result.system() + ": " + result.workload())));
            final double legendY = TOP + 10 + i * 20;
            svg.append(line(WIDTH - RIGHT + 15, legendY, WIDTH - RIGHT + 40, legendY, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\">%s</text>\n", WIDTH - RIGHT + 46,
                legendY + 4, escape(result.system())));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String line(final double x1, final double y1, final double x2, final double y2, final String colour)
    {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" " +
            "stroke-width=\"%s\"/>\n", x1, y1, x2, y2, colour, colour.equals("#dddddd") ? "1" : "2");
    }

    private static String percentileLabel(final int decades)
    {
        return switch (decades)
        {
            case 0 -> "0%";
            case 1 -> "90%";
            case 2 -> "99%";
            default -> "99." + "9".repeat(decades - 2) + "%";
        };
    }

    private static String latencyLabel(final int decade)
    {
        if (decade < 0)
        {
            return String.format(Locale.ROOT, "%s µs", Math.pow(10, decade));
        }
        if (decade < 3)
        {
            return (long)Math.pow(10, decade) + " µs";
        }
        if (decade < 6)
        {
            return (long)Math.pow(10, decade - 3) + " ms";
        }
        return (long)Math.pow(10, decade - 6) + " s";
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
