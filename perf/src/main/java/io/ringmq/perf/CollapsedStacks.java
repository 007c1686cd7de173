package io.ringmq.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a profile in collapsed-stack form ({@code frame;frame;...;leaf count} per line, as async-profiler's converter
 * writes it) and prints, for the stacks that pass through a given frame (e.g. {@code DispatchHandler.onEvent}, which
 * only the dispatch thread runs): the frames where the time was spent (self) and the frames below the given one that
 * the time went through (inclusive). {@code perf/bin/flamegraph} runs it to name the dispatch thread's top frames.
 * <pre>
 *   CollapsedStacks FILE FRAME [TOP]
 * </pre>
 */
public final class CollapsedStacks
{
    private CollapsedStacks()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length < 2)
        {
            System.err.println("usage: CollapsedStacks FILE FRAME [TOP]");
            System.exit(2);
        }
        final int top = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        System.out.print(summarise(Files.readAllLines(Path.of(args[0])), args[1], top));
    }

    static String summarise(final List<String> lines, final String through, final int top)
    {
        final Map<String, Long> self = new HashMap<>();
        final Map<String, Long> inclusive = new HashMap<>();
        long total = 0;
        long all = 0;
        int unreadable = 0;
        for (final String line : lines)
        {
            final int space = line.lastIndexOf(' ');
            final long count = space > 0 ? parseCount(line.substring(space + 1)) : -1;
            if (count < 0)
            {
                unreadable++;
                continue;
            }
            all += count;
            final String[] frames = line.substring(0, space).split(";");
            int from = -1;
            for (int i = 0; i < frames.length; i++)
            {
                if (frames[i].contains(through))
                {
                    from = i;
                    break;
                }
            }
            if (from < 0)
            {
                continue;
            }
            total += count;
            self.merge(frames[frames.length - 1], count, Long::sum);
            final Set<String> seen = new HashSet<>();
            for (int i = from + 1; i < frames.length; i++)
            {
                if (seen.add(frames[i]))
                {
                    inclusive.merge(frames[i], count, Long::sum);
                }
            }
        }
        final StringBuilder text = new StringBuilder();
        text.append(String.format("%,d of %,d samples (%.1f%%) pass through %s%n", total, all,
            100.0 * total / Math.max(1, all), through));
        if (unreadable > 0)
        {
            text.append(String.format("(%d lines were not 'frames count' and were left out)%n", unreadable));
        }
        text.append("top self frames (where the time is spent):").append(System.lineSeparator());
        appendTop(text, self, total, top);
        text.append("top inclusive frames below it (what the time goes through):").append(System.lineSeparator());
        appendTop(text, inclusive, total, top);
        return text.toString();
    }

    /** The sample count at the end of a collapsed-stack line, or -1 if it is not a number. */
    static long parseCount(final String text)
    {
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static void appendTop(final StringBuilder text, final Map<String, Long> counts, final long total, final int top)
    {
        final List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (int i = 0; i < Math.min(top, entries.size()); i++)
        {
            text.append(String.format("  %5.1f%%  %s%n", 100.0 * entries.get(i).getValue() / Math.max(1, total),
                entries.get(i).getKey()));
        }
    }
}
