package io.ringmq.core.state;

/**
 * The expiry part of a snapshot (format {@value #SINCE_FORMAT}, issue 17), after {@link GroupIdleSnapshot}'s block:
 * the run's expiry settings as its NodeStarted carried them. A snapshot of format 10 or older has none: its run
 * expires nothing until the next NodeStarted that says otherwise, as such a run's journal replays.
 */
final class ExpirySnapshot
{
    /** The first snapshot format with this block. */
    static final int SINCE_FORMAT = 11;

    private ExpirySnapshot()
    {
    }

    static void write(final StateSnapshot.Writer out, final SharedState state)
    {
        out.putLong(state.runExpiry.groupExpiryMs());
        out.putLong(state.runExpiry.queueExpiryMs());
    }

    /** Reads what {@link #write} wrote, or for an older format expires nothing. */
    static void read(final StateSnapshot.Reader in, final SharedState state)
    {
        state.runExpiry = in.format() >= SINCE_FORMAT ? new RunExpiry(in.getLong(), in.getLong()) : RunExpiry.NONE;
    }
}
