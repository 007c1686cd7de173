package io.ringmq.daemon.counters;

import org.agrona.concurrent.status.CountersReader;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What ringmq's counters say at one moment, read from a {@link CountersReader} (the CnC file mapped by another
 * process, or the daemon's own Aeron client): rows per queue and per group in the order they appeared, the daemon's
 * own figures and error counts by code. Allocates: for tools and scrapes, not the hot path.
 *
 * @param queues one row per queue.
 * @param groups one row per group.
 * @param daemon the daemon-wide counters that exist.
 * @param errors error responses by code name, for the codes that occurred.
 * @param stages one row per pipeline stage, its name in {@link Row#queue()}: latency percentiles over the last
 *               busy second, count and sum since start.
 */
public record CountersReport(List<Row> queues, List<Row> groups, Map<RingmqCounter, Long> daemon,
    Map<String, Long> errors, List<Row> stages)
{
    /**
     * One queue's counters, or one group's.
     *
     * @param queue  the queue's name.
     * @param group  the group's name; empty on a queue's row.
     * @param values the counters of the row's scope.
     */
    public record Row(String queue, String group, Map<RingmqCounter, Long> values)
    {
        public long value(final RingmqCounter counter)
        {
            final Long value = values.get(counter);
            return null == value ? 0 : value;
        }
    }

    /** True when no ringmq counter was found: no daemon is connected to that driver. */
    public boolean isEmpty()
    {
        return daemon.isEmpty() && queues.isEmpty();
    }

    /** The row of this queue, or null. */
    public Row queue(final String name)
    {
        return queues.stream().filter((row) -> row.queue.equals(name)).findFirst().orElse(null);
    }

    /** The row of this group, or null. */
    public Row group(final String queue, final String group)
    {
        return groups.stream().filter((row) -> row.queue.equals(queue) && row.group.equals(group)).findFirst()
            .orElse(null);
    }

    public static CountersReport read(final CountersReader reader)
    {
        // By owner id, the order the daemon gave them counters in: counter ids are reused, so their order is not.
        final Map<Integer, Row> queues = new TreeMap<>();
        final Map<Integer, Row> groups = new TreeMap<>();
        final Map<RingmqCounter, Long> daemon = new EnumMap<>(RingmqCounter.class);
        final Map<String, Long> errors = new LinkedHashMap<>();
        final Map<Integer, Row> stages = new TreeMap<>();
        reader.forEach((counterId, typeId, key, label) ->
        {
            final RingmqCounter counter = RingmqCounter.ofTypeId(typeId);
            if (null == counter)
            {
                return;
            }
            final long value = reader.getCounterValue(counterId);
            switch (counter.scope())
            {
                case QUEUE -> row(queues, CounterKey.ownerId(key, 0), CounterKey.firstName(key, 0), "")
                    .values.put(counter, value);
                case GROUP -> row(groups, CounterKey.ownerId(key, 0), CounterKey.firstName(key, 0),
                    CounterKey.secondName(key, 0)).values.put(counter, value);
                case DAEMON -> daemon.put(counter, value);
                case ERROR -> errors.merge(CounterKey.firstName(key, 0), value, Long::sum);
                case STAGE -> row(stages, CounterKey.ownerId(key, 0), CounterKey.firstName(key, 0), "")
                    .values.put(counter, value);
            }
        });
        return new CountersReport(List.copyOf(queues.values()), List.copyOf(groups.values()),
            Collections.unmodifiableMap(daemon), Collections.unmodifiableMap(errors), List.copyOf(stages.values()));
    }

    private static Row row(final Map<Integer, Row> rows, final int ownerId, final String queue, final String group)
    {
        return rows.computeIfAbsent(ownerId, (id) -> new Row(queue, group, new EnumMap<>(RingmqCounter.class)));
    }
}
