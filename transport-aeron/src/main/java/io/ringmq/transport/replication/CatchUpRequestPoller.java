package io.ringmq.transport.replication;

import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * The primary's end of the catch-up requests: keeps the newest one until it is taken. A newer request replaces one
 * not yet served (the standby asked again: it knows better now where it is).
 * <p>
 * Not thread-safe: polled by the catch-up server's own thread.
 */
public final class CatchUpRequestPoller implements FragmentHandler, AutoCloseable
{
    private static final int FRAGMENT_LIMIT = 4;

    private final Subscription subscription;
    private boolean pending;
    private int requestId;
    private long afterLogSequence;
    private int flags;
    private long epoch;
    private long unknownFrames;

    public CatchUpRequestPoller(final Subscription subscription)
    {
        this.subscription = subscription;
    }

    /** @return fragments read. */
    public int poll()
    {
        return subscription.poll(this, FRAGMENT_LIMIT);
    }

    /** Whether a request came that was not yet {@link #take() taken}. */
    public boolean hasRequest()
    {
        return pending;
    }

    /** Marks the newest request taken; read it with the getters. */
    public void take()
    {
        pending = false;
    }

    public int requestId()
    {
        return requestId;
    }

    /** The standby's last log sequence: it asks for every command after it. */
    public long afterLogSequence()
    {
        return afterLogSequence;
    }

    /** 0 or {@link ReplicationFrames#SNAPSHOT_ONLY}. */
    public int flags()
    {
        return flags;
    }

    /** The epoch whose primary's log the standby's is, up to {@link #afterLogSequence()}. */
    public long epoch()
    {
        return epoch;
    }

    /** Frames that were not catch-up requests of this version (counted, ignored). */
    public long unknownFrames()
    {
        return unknownFrames;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < ReplicationFrames.CATCHUP_REQUEST_LENGTH ||
            ReplicationFrames.VERSION != ReplicationFrames.version(buffer, offset) ||
            ReplicationFrames.CATCHUP_REQUEST != ReplicationFrames.type(buffer, offset))
        {
            unknownFrames++;
            return;
        }
        pending = true;
        requestId = ReplicationFrames.requestId(buffer, offset);
        afterLogSequence = ReplicationFrames.requestLogSequence(buffer, offset);
        flags = ReplicationFrames.requestFlags(buffer, offset);
        epoch = ReplicationFrames.requestEpoch(buffer, offset);
    }

    public void close()
    {
        subscription.close();
    }
}
