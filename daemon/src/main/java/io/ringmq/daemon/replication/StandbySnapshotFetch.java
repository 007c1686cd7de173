package io.ringmq.daemon.replication;

import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.transport.replication.CatchUpAdapter;
import io.ringmq.transport.replication.CatchUpListener;
import io.ringmq.transport.replication.CatchUpRequester;
import io.ringmq.transport.replication.ReplicationFrames;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby's first step at start, before recovery: if the primary is up and its journal no longer holds the
 * commands after this standby's last one, fetch the primary's newest snapshot into this standby's snapshot directory.
 * Recovery then starts from it like from any snapshot (the journal, which ends before it, is moved aside, never mixed
 * with the new history), and the follower catches up the journal after it. When the primary still has the range it
 * answers at once with nothing to send, and the follower catches up from its journal alone.
 * <p>
 * The request names the epoch of this standby's log, so an old primary that comes back learns here, before it recovers
 * any further, whether its journal left the pair's history and where (see {@link EpochDivergence}): the node sets
 * that suffix aside and asks again.
 * <p>
 * A primary that does not answer within the wait is taken to be down: the standby starts from its own state and
 * catches up once the primary is back.
 */
public final class StandbySnapshotFetch implements CatchUpListener
{
    /**
     * What the primary answered a starting standby.
     *
     * @param installedSnapshot the log sequence of its snapshot installed here, or 0 if none was.
     * @param divergedFrom      0; or the log sequence from which this standby's records left the primary's history
     *                          (then nothing was installed).
     */
    public record Answer(long installedSnapshot, long divergedFrom)
    {
        static final Answer NONE = new Answer(0, EpochDivergence.NONE);
    }

    private static final Logger LOG = LoggerFactory.getLogger(StandbySnapshotFetch.class);

    private final CatchUpRequester requester;
    private final CatchUpAdapter answers;
    private final SnapshotReceiver receiver;
    private int requestId;
    private boolean done;
    private long installed;
    private long divergedFrom;

    private StandbySnapshotFetch(
        final CatchUpRequester requester, final StandbyFollower.Links links, final SnapshotStore snapshots)
    {
        this.requester = requester;
        this.answers = links.catchUp((buffer, offset, length) -> true, this); // snapshot only: no commands come
        this.receiver = new SnapshotReceiver(snapshots);
    }

    /**
     * @param afterLogSequence this standby's last log sequence (what it recovered).
     * @param epoch            the epoch of this standby's log (its recovered state's).
     * @param waitNs           how long to wait for a primary that does not answer.
     * @return what the primary answered; {@link Answer#NONE} if nothing was needed or no primary answered.
     */
    static Answer run(
        final StandbyFollower.Links links,
        final SnapshotStore snapshots,
        final long afterLogSequence,
        final long epoch,
        final NanoClock nanoClock,
        final long waitNs,
        final IdleStrategy idleStrategy)
    {
        final StandbySnapshotFetch fetch = new StandbySnapshotFetch(links.requester(), links, snapshots);
        try
        {
            long lastActivityNs = nanoClock.nanoTime();
            while (!fetch.done)
            {
                if (0 == fetch.requestId && fetch.answers.isConnected()) // else the answer would find no one
                {
                    fetch.requestId = fetch.requester.request(afterLogSequence, ReplicationFrames.SNAPSHOT_ONLY, epoch);
                }
                final int work = fetch.answers.poll();
                final long nowNs = nanoClock.nanoTime();
                if (work > 0)
                {
                    lastActivityNs = nowNs; // a snapshot of gigabytes takes a while: wait while it flows
                }
                else if (nowNs - lastActivityNs - waitNs >= 0)
                {
                    LOG.info("standby: no answer from the primary within {} ms: starting from this standby's own " +
                        "state (log sequence {}); it catches up once the primary is back", waitNs / 1_000_000,
                        afterLogSequence);
                    return Answer.NONE;
                }
                idleStrategy.idle(work);
            }
            return new Answer(fetch.installed, fetch.divergedFrom);
        }
        finally
        {
            CloseHelper.quietCloseAll(fetch.answers, fetch.requester, fetch.receiver);
        }
    }

    public void onSnapshotChunk(
        final int requestId,
        final long snapshotLogSequence,
        final long fileLength,
        final long fileOffset,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (requestId == this.requestId && 0 != requestId)
        {
            installed = Math.max(installed,
                receiver.onChunk(snapshotLogSequence, fileLength, fileOffset, buffer, offset, length));
        }
    }

    public void onCatchUpDone(final int requestId, final long lastLogSequence, final long divergedFrom)
    {
        if (requestId == this.requestId && 0 != requestId)
        {
            done = true;
            this.divergedFrom = divergedFrom;
            if (0 != installed)
            {
                LOG.info("standby: the primary's journal no longer holds the commands this standby misses: " +
                    "installed its snapshot at {}, recovering from it", installed);
            }
        }
    }
}
