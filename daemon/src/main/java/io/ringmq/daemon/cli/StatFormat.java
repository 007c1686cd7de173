package io.ringmq.daemon.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ringmq.daemon.counters.CountersReport;
import io.ringmq.daemon.counters.RingmqCounter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ringmq stat}'s output: a text table (queues, groups, the daemon, stage latencies, errors by code) or one JSON
 * object with the same field names (a stable contract: {@link RingmqCounter#fieldName()}, except that the oldest message
 * is shown as its age, {@value #OLDEST_AGE}, at the time of reading).
 */
final class StatFormat
{
    static final String OLDEST_AGE = "oldest_age_ms";
    private static final JsonFactory JSON = new JsonFactory();
    private static final RingmqCounter[] QUEUE_COLUMNS = columns(RingmqCounter.Scope.QUEUE);
    private static final RingmqCounter[] GROUP_COLUMNS = columns(RingmqCounter.Scope.GROUP);
    private static final RingmqCounter[] STAGE_COLUMNS = columns(RingmqCounter.Scope.STAGE);

    private StatFormat()
    {
    }

    static String text(final CountersReport report, final long nowMs)
    {
        final List<String[]> queues = new ArrayList<>();
        queues.add(header("queue", null, QUEUE_COLUMNS));
        for (final CountersReport.Row row : report.queues())
        {
            queues.add(cells(row.queue(), null, values(row, QUEUE_COLUMNS, nowMs)));
        }
        final List<String[]> groups = new ArrayList<>();
        groups.add(header("queue", "group", GROUP_COLUMNS));
        for (final CountersReport.Row row : report.groups())
        {
            groups.add(cells(row.queue(), row.group(), values(row, GROUP_COLUMNS, nowMs)));
        }
        final List<String[]> stages = new ArrayList<>();
        stages.add(header("stage", null, STAGE_COLUMNS));
        for (final CountersReport.Row row : report.stages())
        {
            stages.add(cells(row.queue(), null, values(row, STAGE_COLUMNS, nowMs)));
        }
        final List<String[]> daemon = new ArrayList<>();
        daemon.add(new String[]{"daemon", "value"});
        report.daemon().forEach((counter, value) ->
            daemon.add(new String[]{counter.fieldName(), Long.toString(value)}));
        final List<String[]> errors = new ArrayList<>();
        errors.add(new String[]{"error", "count"});
        report.errors().forEach((code, count) -> errors.add(new String[]{code, Long.toString(count)}));

        final StringBuilder out = new StringBuilder();
        table(out, queues, 1);
        out.append('\n');
        table(out, groups, 2);
        out.append('\n');
        table(out, daemon, 1);
        if (stages.size() > 1)
        {
            out.append('\n');
            table(out, stages, 1);
        }
        if (errors.size() > 1)
        {
            out.append('\n');
            table(out, errors, 1);
        }
        return out.toString();
    }

    static String json(final CountersReport report, final long nowMs)
    {
        final StringWriter line = new StringWriter(512);
        try (JsonGenerator out = JSON.createGenerator(line))
        {
            out.writeStartObject();
            out.writeArrayFieldStart("queues");
            for (final CountersReport.Row row : report.queues())
            {
                out.writeStartObject();
                out.writeStringField("queue", row.queue());
                writeFields(out, QUEUE_COLUMNS, values(row, QUEUE_COLUMNS, nowMs));
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeArrayFieldStart("groups");
            for (final CountersReport.Row row : report.groups())
            {
                out.writeStartObject();
                out.writeStringField("queue", row.queue());
                out.writeStringField("group", row.group());
                writeFields(out, GROUP_COLUMNS, values(row, GROUP_COLUMNS, nowMs));
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeObjectFieldStart("daemon");
            for (final Map.Entry<RingmqCounter, Long> entry : report.daemon().entrySet())
            {
                out.writeNumberField(entry.getKey().fieldName(), entry.getValue());
            }
            out.writeEndObject();
            out.writeArrayFieldStart("stages");
            for (final CountersReport.Row row : report.stages())
            {
                out.writeStartObject();
                out.writeStringField("stage", row.queue());
                writeFields(out, STAGE_COLUMNS, values(row, STAGE_COLUMNS, nowMs));
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeObjectFieldStart("errors");
            for (final Map.Entry<String, Long> entry : report.errors().entrySet())
            {
                out.writeNumberField(entry.getKey(), entry.getValue());
            }
            out.writeEndObject();
            out.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return line.toString();
    }

    /** The oldest message's age in ms at {@code nowMs} (0 when the queue is empty); other values as counted. */
    static long[] values(final CountersReport.Row row, final RingmqCounter[] columns, final long nowMs)
    {
        final long[] values = new long[columns.length];
        for (int i = 0; i < columns.length; i++)
        {
            final long value = row.value(columns[i]);
            values[i] = RingmqCounter.QUEUE_OLDEST_ENQUEUED != columns[i] ? value :
                0 == value ? 0 : Math.max(0, nowMs - value);
        }
        return values;
    }

    static String fieldName(final RingmqCounter counter)
    {
        return RingmqCounter.QUEUE_OLDEST_ENQUEUED == counter ? OLDEST_AGE : counter.fieldName();
    }

    private static void writeFields(final JsonGenerator out, final RingmqCounter[] columns, final long[] values)
        throws IOException
    {
        for (int i = 0; i < columns.length; i++)
        {
            out.writeNumberField(fieldName(columns[i]), values[i]);
        }
    }

    private static RingmqCounter[] columns(final RingmqCounter.Scope scope)
    {
        final List<RingmqCounter> columns = new ArrayList<>();
        for (final RingmqCounter counter : RingmqCounter.values())
        {
            if (counter.scope() == scope)
            {
                columns.add(counter);
            }
        }
        return columns.toArray(new RingmqCounter[0]);
    }

    private static String[] header(final String first, final String second, final RingmqCounter[] columns)
    {
        final String[] names = new String[columns.length];
        for (int i = 0; i < columns.length; i++)
        {
            names[i] = fieldName(columns[i]);
        }
        return cells(first, second, names);
    }

    private static String[] cells(final String first, final String second, final long[] values)
    {
        final String[] numbers = new String[values.length];
        for (int i = 0; i < values.length; i++)
        {
            numbers[i] = Long.toString(values[i]);
        }
        return cells(first, second, numbers);
    }

    private static String[] cells(final String first, final String second, final String[] values)
    {
        final List<String> cells = new ArrayList<>();
        cells.add(first);
        if (null != second)
        {
            cells.add(second);
        }
        cells.addAll(List.of(values));
        return cells.toArray(new String[0]);
    }

    /** Left-aligned names (the first {@code nameColumns}), right-aligned numbers, two spaces between. */
    private static void table(final StringBuilder out, final List<String[]> rows, final int nameColumns)
    {
        final int[] widths = new int[rows.get(0).length];
        for (final String[] row : rows)
        {
            for (int i = 0; i < row.length; i++)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (final String[] row : rows)
        {
            final StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++)
            {
                if (i > 0)
                {
                    line.append("  ");
                }
                final String pad = " ".repeat(widths[i] - row[i].length());
                line.append(i < nameColumns ? row[i] + pad : pad + row[i]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
