package io.ringmq.daemon.cli;

import io.ringmq.client.OutgoingMessage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Puts the publish options --priority, --delay-ms or --deliver-at and --ttl-ms on a message. */
final class DeliveryControlOptions
{
    private DeliveryControlOptions()
    {
    }

    /** @throws IllegalArgumentException naming the option, for a bad value or both a delay and a deliver-at. */
    static void applyTo(
        final OutgoingMessage message,
        final Integer priority,
        final Long delayMs,
        final String deliverAt,
        final Long ttlMs)
    {
        if (null != delayMs && null != deliverAt)
        {
            throw new IllegalArgumentException("--delay-ms and --deliver-at: a message has one or the other");
        }
        if (null != priority)
        {
            message.priority(priority);
        }
        if (null != delayMs)
        {
            message.delayMs(delayMs);
        }
        if (null != deliverAt)
        {
            message.deliverAtMs(epochMillis(deliverAt));
        }
        if (null != ttlMs)
        {
            message.ttlMs(ttlMs);
        }
    }

    /** An ISO-8601 instant ({@code 2026-12-07T10:15:30Z}) or date-time with an offset ({@code ...+01:00}). */
    static long epochMillis(final String text)
    {
        try
        {
            return Instant.parse(text).toEpochMilli();
        }
        catch (final DateTimeParseException notAnInstant)
        {
            try
            {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            }
            catch (final DateTimeParseException ex)
            {
                throw new IllegalArgumentException("--deliver-at '" + text + "' is not an ISO-8601 time with a zone, " +
                    "e.g. 2026-12-07T10:15:30Z or 2026-12-07T11:15:30+01:00");
            }
        }
    }
}
