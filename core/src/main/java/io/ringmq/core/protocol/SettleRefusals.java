package io.ringmq.core.protocol;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The texts of the refusals of a settle (ack, nack, extend, reject), written by the state machine and read back by a
 * client that must know which of its settles was refused. A settle frame has no correlation id (acks are the hot path,
 * and most go in batches), so a refusal names the delivery and the consumer in its text, in these formats only.
 */
public final class SettleRefusals
{
    private static final Pattern STALE_DELIVERY = Pattern.compile(
        "(?:^|: )delivery (\\d+)/(\\d+) of queue '.*' is not in flight to consumer (\\d+)$", Pattern.DOTALL);
    private static final Pattern UNKNOWN_CONSUMER =
        Pattern.compile("(?:^|: )consumer (\\d+) is not attached to this session$");

    private SettleRefusals()
    {
    }

    /** {@code STALE_DELIVERY}: the delivery is not in flight to that consumer (settled, ended, or delivered again). */
    public static String staleDelivery(
        final long sequence, final int attempt, final String queue, final long consumerId)
    {
        return "delivery " + sequence + "/" + attempt + " of queue '" + queue + "' is not in flight to consumer " +
            consumerId;
    }

    /** {@code UNKNOWN_CONSUMER}: the session holds no consumer of that id (detached, or its queue or group deleted). */
    public static String unknownConsumer(final long consumerId)
    {
        return "consumer " + consumerId + " is not attached to this session";
    }

    /**
     * What a refusal's text names: one delivery of a consumer, every delivery of a consumer ({@link Named#sequence()}
     * 0), or nothing (null) for text these formats did not write. The text may come after a prefix ending in
     * {@code ": "}, as a client's exception puts its error code before it.
     */
    public static Named parse(final String text)
    {
        try
        {
            final Matcher stale = STALE_DELIVERY.matcher(text);
            if (stale.find())
            {
                return new Named(Long.parseLong(stale.group(1)), Integer.parseInt(stale.group(2)),
                    Long.parseLong(stale.group(3)));
            }
            final Matcher unknown = UNKNOWN_CONSUMER.matcher(text);
            if (unknown.find())
            {
                return new Named(0, 0, Long.parseLong(unknown.group(1)));
            }
        }
        catch (final NumberFormatException ex)
        {
            return null; // digits beyond a long: not a text written here
        }
        return null;
    }

    /**
     * A refused settle's delivery.
     *
     * @param sequence 0 when the refusal names every delivery of the consumer.
     */
    public record Named(long sequence, int attempt, long consumerId)
    {
        /** Whether a settle of that delivery by that consumer is the one refused. */
        public boolean names(final long consumerId, final long sequence, final int attempt)
        {
            return this.consumerId == consumerId && (0 == this.sequence ||
                (this.sequence == sequence && this.attempt == attempt));
        }
    }
}
