package io.ringmq.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws a flame graph as a self-contained SVG (so a README can show it as an image) from a profile in collapsed-stack
 * form with threads ({@code [thread tid=N];frame;...;leaf count}, as async-profiler's converter writes with
 * {@code --threads}), keeping only the threads whose names start with a prefix: {@code ringmq-} is the daemon.
 * Threads of the same name are merged (the tid is dropped). Each frame is a box as wide as its share of the samples,
 * its callers below it; frames under {@link #MIN_SHARE} of the samples are left out. Hovering shows the full frame
 * name and its share.
 * <pre>
 *   FlameGraphSvg COLLAPSED_FILE THREAD_PREFIX OUT.svg TITLE
 * </pre>
 */
public final class FlameGraphSvg
{
    static final double MIN_SHARE = 0.002;
    private static final int WIDTH = 1200;
    private static final int ROW = 16;
    private static final int TOP_MARGIN = 40;
    private static final int SIDE_MARGIN = 10;
    private static final double CHAR_WIDTH = 6.6;

    private FlameGraphSvg()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 4)
        {
            System.err.println("usage: FlameGraphSvg COLLAPSED_FILE THREAD_PREFIX OUT.svg TITLE");
            System.exit(2);
        }
        final String svg = render(Files.readAllLines(Path.of(args[0])), args[1], args[3]);
        Files.writeString(Path.of(args[2]), svg, StandardCharsets.UTF_8);
    }

    static String render(final List<String> lines, final String threadPrefix, final String title)
    {
        final Node root = new Node("[all]");
        for (final String line : lines)
        {
            final int space = line.lastIndexOf(' ');
            final long count = space > 0 ? CollapsedStacks.parseCount(line.substring(space + 1)) : -1;
            final String[] frames = count > 0 ? line.substring(0, space).split(";") : new String[0];
            if (0 == frames.length || !threadName(frames[0]).startsWith(threadPrefix))
            {
                continue;
            }
            root.count += count;
            Node node = root.child("[" + threadName(frames[0]) + "]");
            node.count += count;
            for (int i = 1; i < frames.length; i++)
            {
                node = node.child(frames[i]);
                node.count += count;
            }
        }
        final int depth = root.depth(root.count);
        final int height = TOP_MARGIN + (depth + 1) * ROW + SIDE_MARGIN;
        final StringBuilder svg = new StringBuilder(256 * 1024);
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" " +
            "viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#fdfdf6\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">%s (%,d samples of threads " +
            "%s*; hover for names)</text>%n", SIDE_MARGIN, escape(title), root.count, escape(threadPrefix)));
        final double scale = (WIDTH - 2.0 * SIDE_MARGIN) / Math.max(1, root.count);
        draw(svg, root, root.count, SIDE_MARGIN, height - SIDE_MARGIN - ROW, scale);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void draw(
        final StringBuilder svg, final Node node, final long total, final double x, final int y, final double scale)
    {
        final double width = node.count * scale;
        final String label = shortName(node.name);
        final String share = String.format(Locale.ROOT, "%.1f%%", 100.0 * node.count / total);
        svg.append(String.format(Locale.ROOT, "<g><title>%s (%s)</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" " +
            "height=\"%d\" fill=\"%s\" stroke=\"#fdfdf6\" stroke-width=\"0.5\"/>", escape(node.name), share, x, y,
            width, ROW - 1, colour(node.name)));
        final int fits = (int)((width - 4) / CHAR_WIDTH);
        if (fits >= 3)
        {
            final String text = label.length() <= fits ? label : label.substring(0, fits - 2) + "..";
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", x + 2, y + ROW - 4,
                escape(text)));
        }
        svg.append("</g>\n");
        double childX = x;
        for (final Node child : node.children.values())
        {
            if (child.count >= MIN_SHARE * total)
            {
                draw(svg, child, total, childX, y - ROW, scale);
            }
            childX += child.count * scale;
        }
    }

    /** {@code [ringmq-ring tid=123]} → {@code ringmq-ring}. */
    static String threadName(final String frame)
    {
        final String name = frame.startsWith("[") && frame.endsWith("]") ? frame.substring(1, frame.length() - 1) : frame;
        final int tid = name.indexOf(" tid=");
        return tid >= 0 ? name.substring(0, tid) : name;
    }

    /** {@code io/ringmq/core/state/QueueStateMachine.apply_[j]} → {@code QueueStateMachine.apply}. */
    static String shortName(final String frame)
    {
        String name = frame.replaceAll("_\\[[a-z0-9]\\]$", "");
        final int paren = name.indexOf('(');
        final int slash = name.lastIndexOf('/', paren >= 0 ? paren : name.length());
        return slash >= 0 && !name.startsWith("[") ? name.substring(slash + 1) : name;
    }

    /** Java frames green (inlined lighter), kernel orange, native and VM red, threads grey. */
    private static String colour(final String frame)
    {
        if (frame.startsWith("["))
        {
            return "#c8c8c8";
        }
        if (frame.endsWith("_[k]"))
        {
            return "#f0a050";
        }
        if (frame.endsWith("_[i]"))
        {
            return "#9fd89f";
        }
        if (frame.endsWith("_[j]") || frame.endsWith("_[0]") || frame.endsWith("_[1]") || frame.contains("/"))
        {
            return "#6cc26c";
        }
        return "#e86a5a";
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A frame in one calling context, with the samples that passed through it; children in name order. */
    private static final class Node
    {
        final String name;
        final Map<String, Node> children = new TreeMap<>();
        long count;

        Node(final String name)
        {
            this.name = name;
        }

        Node child(final String name)
        {
            return children.computeIfAbsent(name, Node::new);
        }

        /** Rows needed to draw the frames wide enough to be drawn. */
        int depth(final long total)
        {
            int deepest = 0;
            for (final Node child : children.values())
            {
                if (child.count >= MIN_SHARE * total)
                {
                    deepest = Math.max(deepest, 1 + child.depth(total));
                }
            }
            return deepest;
        }
    }
}
