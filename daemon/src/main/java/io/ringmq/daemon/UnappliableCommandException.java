package io.ringmq.daemon;

import io.ringmq.core.protocol.CommandHeader;
import org.agrona.DirectBuffer;

/**
 * A journaled command the state machine threw on while start-up replayed it. It is journaled, so every start would
 * throw on it again: start-up stops, naming it, and {@code daemon --repair} can set it aside ({@link SetAsideRepair}).
 */
public final class UnappliableCommandException extends IllegalStateException
{
    private final long logSequence;

    UnappliableCommandException(
        final DirectBuffer buffer, final int offset, final int length, final Throwable cause)
    {
        super("the journaled command at " + CommandHeader.describe(buffer, offset, length) +
            " cannot be applied: " + cause + ". No start can replay past it: " +
            "run `bin/ringmq daemon --repair` to set it aside (the journal as it is now is kept beside the repaired " +
            "one)", cause);
        this.logSequence = CommandHeader.logSequence(buffer, offset);
    }

    public long logSequence()
    {
        return logSequence;
    }

    /** Why the command could not be applied, short enough for the record that replaces it. */
    String reason()
    {
        return String.valueOf(getCause());
    }
}
