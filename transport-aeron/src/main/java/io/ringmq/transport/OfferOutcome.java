package io.ringmq.transport;

import io.aeron.Publication;
import org.agrona.DirectBuffer;

/**
 * What became of a {@link Publication#offer}, for the client's ingress and the daemon's egress alike, so the two ends
 * read Aeron's result codes the same way. An {@code ADMIN_ACTION} (the log rotated a term, or a publication is being
 * set up) is retried at once by {@link #offer}, a few times, and is back-pressure if it persists.
 */
public enum OfferOutcome
{
    /** Appended to the log. */
    SENT,
    /** No room for now ({@code BACK_PRESSURED}, or an {@code ADMIN_ACTION} that outlasted the retries): try later. */
    BACK_PRESSURED,
    /**
     * No subscriber: not connected yet, or gone. Which one, only the caller can tell (has it ever sent on this
     * publication?).
     */
    NOT_CONNECTED,
    /** The publication was closed: nothing more can be sent on it. */
    CLOSED,
    /** The publication's log is full for good ({@code MAX_POSITION_EXCEEDED}): a new publication is needed. */
    MAX_POSITION_EXCEEDED;

    /** Offers answered ADMIN_ACTION are retried at once this many times before they count as back-pressure. */
    public static final int ADMIN_ACTION_RETRIES = 3;

    /**
     * Offers {@code buffer[offset, offset + length)} as one message, retrying at once on {@code ADMIN_ACTION}.
     * Allocates nothing.
     */
    public static OfferOutcome offer(
        final Publication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < ADMIN_ACTION_RETRIES; i++)
        {
            final long result = publication.offer(buffer, offset, length);
            if (Publication.ADMIN_ACTION != result)
            {
                return of(result);
            }
        }
        return of(publication.offer(buffer, offset, length));
    }

    /** The outcome of one {@link Publication#offer} or {@code tryClaim} result. */
    public static OfferOutcome of(final long result)
    {
        if (result > 0)
        {
            return SENT;
        }
        if (Publication.NOT_CONNECTED == result)
        {
            return NOT_CONNECTED;
        }
        if (Publication.CLOSED == result)
        {
            return CLOSED;
        }
        if (Publication.MAX_POSITION_EXCEEDED == result)
        {
            return MAX_POSITION_EXCEEDED;
        }
        return BACK_PRESSURED; // BACK_PRESSURED, or ADMIN_ACTION
    }
}
