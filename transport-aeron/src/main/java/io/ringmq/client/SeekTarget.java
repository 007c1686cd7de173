package io.ringmq.client;

import io.ringmq.codecs.StartPoint;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A place in a queue a consumer group starts at or is moved to ({@link GroupOptions#startAt},
 * {@link RingmqClient#seek}): the oldest message held (kept consumed ones included), past the newest, a sequence, or
 * the first message stored at or after a time. Immutable.
 *
 * @param point what kind of place.
 * @param value the sequence, or the time in epoch ms; 0 otherwise.
 */
public record SeekTarget(StartPoint point, long value)
{
    /** Where a new group starts unless told otherwise: the oldest message no group has consumed yet. */
    public static final SeekTarget UNCONSUMED = new SeekTarget(StartPoint.OLDEST_UNCONSUMED, 0);
    public static final SeekTarget OLDEST = new SeekTarget(StartPoint.OLDEST, 0);
    public static final SeekTarget NEWEST = new SeekTarget(StartPoint.NEWEST, 0);

    public SeekTarget
    {
        if (StartPoint.SEQUENCE == point && value < 1)
        {
            throw new IllegalArgumentException("sequence " + value + " must be 1 or more");
        }
        if (StartPoint.TIME == point && value < 0)
        {
            throw new IllegalArgumentException("time " + value + " must not be before the epoch");
        }
        if (null == point || StartPoint.NULL_VAL == point)
        {
            throw new IllegalArgumentException("no start point");
        }
    }

    public static SeekTarget sequence(final long sequence)
    {
        return new SeekTarget(StartPoint.SEQUENCE, sequence);
    }

    public static SeekTarget time(final Instant time)
    {
        return new SeekTarget(StartPoint.TIME, time.toEpochMilli());
    }

    /**
     * Parses the CLI's spelling: {@code oldest}, {@code newest}, {@code seq:N} or {@code time:ISO-8601}.
     *
     * @throws IllegalArgumentException naming what is accepted.
     */
    public static SeekTarget parse(final String text)
    {
        try
        {
            if ("oldest".equals(text))
            {
                return OLDEST;
            }
            if ("newest".equals(text))
            {
                return NEWEST;
            }
            if (text.startsWith("seq:"))
            {
                return sequence(Long.parseLong(text.substring(4)));
            }
            if (text.startsWith("time:"))
            {
                return time(Instant.parse(text.substring(5)));
            }
        }
        catch (final NumberFormatException | DateTimeParseException ex)
        {
            throw new IllegalArgumentException("'" + text + "': " + ex.getMessage());
        }
        throw new IllegalArgumentException("'" + text + "' is not one of oldest, newest, seq:N, time:ISO-8601");
    }
}
