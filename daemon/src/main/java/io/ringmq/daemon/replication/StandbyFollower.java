package io.ringmq.daemon.replication;

import com.lmax.disruptor.RingBuffer;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.transport.replication.CatchUpAdapter;
import io.ringmq.transport.replication.CatchUpListener;
import io.ringmq.transport.replication.CatchUpRequester;
import io.ringmq.transport.replication.EpochFence;
import io.ringmq.transport.replication.ReplicatedCommandSink;
import io.ringmq.transport.replication.ReplicationAckSender;
import io.ringmq.transport.replication.ReplicationAdapter;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The standby's ingress: the ring's only producer, fed by the primary's replication stream instead of clients. Each
 * replicated command goes on the ring with the primary's log sequence, timestamp and transport session, so the
 * standby's journal holds the primary's records byte for byte and its state machine, applying them, reaches the
 * primary's state at every log sequence. Time reaches it only in those commands: it ticks nothing of its own.
 * <p>
 * Two streams feed it, both polled here, so one thread decides what goes on the ring: the live stream and catch-up
 * (the primary's journal read back for this standby). Only the next command in log order goes on the ring, from
 * whichever stream brings it first; one already taken is skipped. A live command after a gap (this standby started
 * behind, restarted, or missed commands the primary did not wait for) is skipped too, and starts a catch-up: a request
 * for everything after the last log sequence taken. Catch-up brings the missing commands while the live stream keeps
 * flowing past; when the catch-up's DONE comes and the live stream is still ahead, it asks again; once the live
 * stream's next command is the next in log order, the standby is live again. No gap and no duplicate reach the ring at
 * the hand-over, because the rule is the same for both streams. It also asks when the primary's stream appears (a
 * restarted standby, a restarted primary), and again if an answer stops coming for {@link #REQUEST_RETRY_NS}.
 * <p>
 * When the primary's journal no longer holds the range, it sends its newest snapshot instead: written to this
 * standby's snapshot directory, checked and installed there; this follower then applies nothing more and tells the
 * node, which stops its pipeline (this follower with it), loads the snapshot and starts a new one (the ring's state
 * cannot be swapped under it). A standby that starts while
 * the primary is up fetches that snapshot before it recovers ({@link StandbySnapshotFetch}), so this is the case of a
 * standby that fell behind while running.
 * <p>
 * An old primary that comes back as a standby may hold commands it journaled after its standby stopped taking them
 * (never acked, so never receipted): the new primary began its epoch before them. So commands of a primary of a newer
 * epoch than this log's are not taken from the live stream until a catch-up has answered that this log is a prefix of
 * that primary's (every catch-up request names this log's epoch; the primary matches it, see
 * {@link EpochDivergence}). If the answer is a point of divergence instead, this follower applies nothing more and
 * tells the node, which stops its pipeline, sets its records from that point aside and starts again from the prefix.
 * <p>
 * Acks go from here, the ack stream's only writer: in mode {@code received} up to the last command put on the ring,
 * in mode {@code journaled} up to the last one the journal handler has appended, in mode {@code synced} up to the
 * last one it has passed (after its batch's fsync); see {@link PairLinks#ackedSequence}. A ring sequence maps to a log
 * sequence one to one, since every slot is one command, in log order.
 * <p>
 * The commands of one frame (a batch of the primary's, up to a datagram's worth) are claimed on the ring one by one and
 * published together at the frame's end: the ring's handlers wake once per frame and take it as one batch (with fsync
 * BATCH, one sync for it), and {@link #lastLogSequence()} moves only once they are on the ring.
 * <p>
 * Not thread-safe: runs on its own agent thread, except the getters.
 */
public final class StandbyFollower implements Agent, ReplicatedCommandSink, CatchUpListener
{
    private static final Logger LOG = LoggerFactory.getLogger(StandbyFollower.class);
    /** A catch-up the primary has sent nothing for this long is asked for again (the primary restarted, say). */
    static final long REQUEST_RETRY_NS = TimeUnit.SECONDS.toNanos(2);

    private final ReplicationAdapter adapter;
    private final CatchUpAdapter catchUp;
    private final CatchUpRequester requester;
    private final SnapshotReceiver snapshotReceiver;
    private final RingBuffer<CommandEvent> ring;
    private final NanoClock nanoClock;
    private final ReplicationAckSender ackSender;
    /** The journal handler's ring sequence an ack may cover (modes journaled and synced); null in mode received. */
    private final LongSupplier journalSequence;
    /** Log sequence of the last command recovered at start: ring sequence 0 carries the one after it. */
    private final long recoveredLogSequence;
    private final ReplicatedCommandSink caughtUp = new ReplicatedCommandSink()
    {
        public boolean offer(final DirectBuffer command, final int offset, final int length)
        {
            return offerCaughtUp(command, offset, length);
        }

        public void frameStart()
        {
            StandbyFollower.this.frameStart();
        }

        public void frameEnd()
        {
            StandbyFollower.this.frameEnd();
        }
    };
    /** Log sequence of the last command published on the ring: what other threads, and acks, are told. */
    private volatile long lastLogSequence;
    /** Log sequence of the last command claimed on the ring, published or not yet: the next one taken follows it. */
    private long takenLogSequence;
    /** Whether a frame's commands are being taken: their slots are published together at its end. */
    private boolean inFrame;
    /** The first ring sequence claimed and not yet published; -1 while none is. */
    private long firstUnpublished = -1;
    private long lastClaimed;
    /** The highest live log sequence skipped after a gap: while it is ahead, catch-up goes on. */
    private volatile long liveAheadLogSequence;
    private final LongConsumer onSnapshotInstalled;
    private final LongConsumer onDiverged;
    /** The newest epoch the adapters have admitted frames of (the fence's): the live stream's primary's, or older. */
    private final LongSupplier frameEpoch;
    /**
     * The epoch whose primary's log this standby's is known to be: its recovered state's, then the epoch of each
     * primary that answered a catch-up with no divergence. Live commands of a newer epoch wait for that answer.
     */
    private long verifiedEpoch;
    /** Set once a primary answered that this log left its history there: nothing more applies until a restart. */
    private volatile long divergedFrom;
    /** Set once the primary's snapshot was installed: nothing more applies until the node loads it. */
    private volatile long installedSnapshotLogSequence;
    /** The primary's timestamp on the last command put on the ring (0 until one is). */
    private volatile long lastTimestampNs;
    /** Primary images seen (the Aeron conductor counts them); each after the first is a primary that restarted. */
    private volatile int primaryImages;
    private volatile long catchUps;
    private volatile long caughtUpCommands;
    private int primaryImagesHandled;
    private boolean requestWanted;
    /** The catch-up being served; 0 while none is. */
    private int activeRequestId;
    private long lastCatchUpActivityNs;
    /** When this spell of catching up began (its first request), and the commands caught up before it; 0: none. */
    private long spellStartNs;
    private long spellStartCommands;

    /**
     * @param links               the streams to and from the primary; the follower takes them over and closes them.
     * @param onSnapshotInstalled told, on this follower's thread (which must not wait for it), the log sequence of the
     *                            primary's snapshot once it is installed: the node loads it and starts a new follower.
     */
    public StandbyFollower(
        final Links links,
        final SnapshotReceiver snapshotReceiver,
        final RingBuffer<CommandEvent> ring,
        final NanoClock nanoClock,
        final ReplicationAckSender ackSender,
        final LongSupplier journalSequence,
        final long recoveredLogSequence,
        final LongConsumer onSnapshotInstalled)
    {
        this(links, snapshotReceiver, ring, nanoClock, ackSender, journalSequence, recoveredLogSequence,
            onSnapshotInstalled, null, (divergedFrom) -> {});
    }

    /**
     * @param fence      the epoch fence the links' adapters share, at the epoch of the recovered state; null: every
     *                   frame is taken to be of the recovered log's epoch.
     * @param onDiverged told, on this follower's thread (which must not wait for it), the log sequence from which this
     *                   standby's records left the primary's history: the node sets them aside and starts anew.
     */
    public StandbyFollower(
        final Links links,
        final SnapshotReceiver snapshotReceiver,
        final RingBuffer<CommandEvent> ring,
        final NanoClock nanoClock,
        final ReplicationAckSender ackSender,
        final LongSupplier journalSequence,
        final long recoveredLogSequence,
        final LongConsumer onSnapshotInstalled,
        final EpochFence fence,
        final LongConsumer onDiverged)
    {
        final EpochFence epochs = null == fence ? new EpochFence(EpochFence.FIRST_EPOCH) : fence;
        this.frameEpoch = null == fence ? () -> EpochFence.FIRST_EPOCH : fence::epoch;
        this.verifiedEpoch = epochs.epoch();
        this.onDiverged = onDiverged;
        this.onSnapshotInstalled = onSnapshotInstalled;
        this.adapter = links.live(this);
        this.catchUp = links.catchUp(caughtUp, this);
        this.requester = links.requester();
        this.snapshotReceiver = snapshotReceiver;
        this.ring = ring;
        this.nanoClock = nanoClock;
        this.ackSender = ackSender;
        this.journalSequence = journalSequence;
        this.recoveredLogSequence = recoveredLogSequence;
        this.lastLogSequence = recoveredLogSequence;
        this.takenLogSequence = recoveredLogSequence;
    }

    /** How a follower reaches the primary: built by {@link PairLinks}, or by tests. */
    public interface Links
    {
        /** The live stream, to {@code follower}, which is told when the primary's stream appears. */
        ReplicationAdapter live(StandbyFollower follower);

        CatchUpAdapter catchUp(ReplicatedCommandSink sink, CatchUpListener listener);

        CatchUpRequester requester();
    }

    public String roleName()
    {
        return "ringmq-standby";
    }

    public int doWork()
    {
        final int images = primaryImages;
        if (images != primaryImagesHandled)
        {
            if (primaryImagesHandled > 0)
            {
                ackSender.renew(); // the primary restarted: reach its new ack subscription now
            }
            primaryImagesHandled = images;
            requestWanted = true; // on connecting: whatever this standby misses comes before the live stream
        }
        int work = adapter.poll();
        final int caughtUpFragments = catchUp.poll();
        final long nowNs = nanoClock.nanoTime();
        if (caughtUpFragments > 0)
        {
            lastCatchUpActivityNs = nowNs;
        }
        work += caughtUpFragments + requestIfWanted(nowNs);
        return work + ackSender.ack(coveredLogSequence());
    }

    /** The Aeron client conductor: a primary's replication stream appeared. */
    public void onPrimaryImage()
    {
        primaryImages++; // single writer: the conductor thread
    }

    /** A command from the live stream. */
    public boolean offer(final DirectBuffer command, final int offset, final int length)
    {
        final long logSequence = CommandHeader.logSequence(command, offset);
        if (isWaitingForRestart() || logSequence <= takenLogSequence)
        {
            return true; // waiting for a restart, or already on the ring
        }
        if (frameEpoch.getAsLong() > verifiedEpoch)
        {
            // A primary of a newer epoch: its commands follow this log only if a catch-up answers that they do.
            liveAheadLogSequence = Math.max(liveAheadLogSequence, logSequence);
            if (0 == activeRequestId)
            {
                requestWanted = true;
            }
            return true;
        }
        if (logSequence != takenLogSequence + 1)
        {
            if (!isCatchingUp())
            {
                LOG.info("standby: the primary's live stream is at log sequence {}, this standby at {}: catching up",
                    logSequence, takenLogSequence);
            }
            liveAheadLogSequence = Math.max(liveAheadLogSequence, logSequence);
            if (0 == activeRequestId)
            {
                requestWanted = true;
            }
            return true;
        }
        return put(command, offset, length, logSequence);
    }

    /** A command from catch-up: only ever the next one; anything else was taken already or is of an older request. */
    private boolean offerCaughtUp(final DirectBuffer command, final int offset, final int length)
    {
        final long logSequence = CommandHeader.logSequence(command, offset);
        if (isWaitingForRestart() || logSequence != takenLogSequence + 1)
        {
            return true;
        }
        if (!put(command, offset, length, logSequence))
        {
            return false;
        }
        caughtUpCommands++; // single writer: this thread
        return true;
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
        if (requestId != activeRequestId || isWaitingForRestart())
        {
            return;
        }
        final long installed =
            snapshotReceiver.onChunk(snapshotLogSequence, fileLength, fileOffset, buffer, offset, length);
        if (0 != installed)
        {
            installedSnapshotLogSequence = installed;
            LOG.warn("standby: the primary's journal no longer holds log sequence {}: its snapshot at {} is " +
                "installed in this standby's snapshot directory; this standby applies nothing more until it has " +
                "loaded it", lastLogSequence + 1, installed);
            onSnapshotInstalled.accept(installed);
        }
        else if (!snapshotReceiver.isReceiving())
        {
            activeRequestId = 0; // a chunk went missing: ask again
            requestWanted = true;
        }
    }

    public void onCatchUpDone(final int requestId, final long lastLogSequence, final long divergedFrom)
    {
        if (requestId != activeRequestId || isWaitingForRestart())
        {
            return;
        }
        activeRequestId = 0;
        if (EpochDivergence.NONE != divergedFrom)
        {
            this.divergedFrom = divergedFrom;
            LOG.warn("standby: the primary (epoch {}) says this standby's log (epoch {}, up to log sequence {}) left " +
                "the pair's history at log sequence {}: this standby applies nothing more until its records from " +
                "there on are set aside", frameEpoch.getAsLong(), verifiedEpoch, this.lastLogSequence, divergedFrom);
            onDiverged.accept(divergedFrom);
            return;
        }
        // The DONE was admitted, so the fence stands at its epoch: this log is a prefix of that primary's.
        verifiedEpoch = Math.max(verifiedEpoch, frameEpoch.getAsLong());
        if (liveAheadLogSequence > this.lastLogSequence)
        {
            requestWanted = true; // the live stream went on meanwhile: ask for what came since
        }
        else
        {
            endSpell();
        }
    }

    private int requestIfWanted(final long nowNs)
    {
        if (0 != activeRequestId && nowNs - lastCatchUpActivityNs - REQUEST_RETRY_NS >= 0)
        {
            snapshotReceiver.abandon();
            activeRequestId = 0;
            requestWanted = true;
        }
        if (!requestWanted || isWaitingForRestart() || !catchUp.isConnected())
        {
            return 0;
        }
        final int requestId = requester.request(lastLogSequence, 0, verifiedEpoch);
        if (0 == requestId)
        {
            return 0; // the primary cannot take it now: asked again next time
        }
        snapshotReceiver.abandon();
        activeRequestId = requestId;
        requestWanted = false;
        lastCatchUpActivityNs = nowNs;
        if (0 == spellStartNs)
        {
            spellStartNs = nowNs;
            spellStartCommands = caughtUpCommands;
        }
        catchUps++; // single writer: this thread
        return 1;
    }

    /** Caught up: the live stream's next command is this standby's next. Logs what the spell took. */
    private void endSpell()
    {
        final long commands = caughtUpCommands - spellStartCommands;
        if (0 != liveAheadLogSequence || commands > 0)
        {
            final long elapsedNs = Math.max(1, nanoClock.nanoTime() - spellStartNs);
            LOG.info("standby: caught up to log sequence {} ({} commands from the primary's journal in {} ms, {} " +
                "commands/s), following the live stream", lastLogSequence, commands,
                TimeUnit.NANOSECONDS.toMillis(elapsedNs), commands * TimeUnit.SECONDS.toNanos(1) / elapsedNs);
        }
        liveAheadLogSequence = 0;
        spellStartNs = 0;
    }

    /** A frame's commands follow (from either stream): their slots are claimed now and published at its end. */
    public void frameStart()
    {
        inFrame = true;
    }

    /** The frame's commands ended: every slot claimed for them is published, in one go. */
    public void frameEnd()
    {
        inFrame = false;
        publishClaimed();
    }

    private boolean put(final DirectBuffer command, final int offset, final int length, final long logSequence)
    {
        if (!ring.hasAvailableCapacity(1))
        {
            return false;
        }
        final long sequence = ring.next();
        try
        {
            ring.get(sequence).set(
                logSequence,
                CommandHeader.timestampNs(command, offset),
                CommandHeader.transportSessionId(command, offset),
                nanoClock.nanoTime(),
                command,
                offset + CommandHeader.LENGTH,
                length - CommandHeader.LENGTH);
        }
        finally
        {
            // A claimed slot left unpublished would stop the ring for good: published here, or at the frame's end,
            // which the frame's reader reaches whatever happens (see CommandsFrame).
            if (firstUnpublished < 0)
            {
                firstUnpublished = sequence;
            }
            lastClaimed = sequence;
            takenLogSequence = logSequence;
            if (!inFrame)
            {
                publishClaimed();
            }
        }
        lastTimestampNs = CommandHeader.timestampNs(command, offset);
        return true;
    }

    /**
     * One publish for every slot claimed since the last: the ring's handlers wake once for a frame's commands and
     * take them as one batch (with fsync BATCH, one sync), not one command at a time.
     */
    private void publishClaimed()
    {
        if (firstUnpublished >= 0)
        {
            ring.publish(firstUnpublished, lastClaimed);
            firstUnpublished = -1;
            lastLogSequence = takenLogSequence;
        }
    }

    /** The primary's timestamp on the last command put on the ring; 0 before the first. */
    public long lastTimestampNs()
    {
        return lastTimestampNs;
    }

    /** Log sequence of the last command put on the ring. */
    public long lastLogSequence()
    {
        return lastLogSequence;
    }

    /** Whether the live stream is ahead of this standby: it is catching up, not in sync. */
    public boolean isCatchingUp()
    {
        return liveAheadLogSequence > lastLogSequence;
    }

    /** Whether the node is to restart this standby's pipeline: a snapshot was installed, or the log diverged. */
    private boolean isWaitingForRestart()
    {
        return 0 != installedSnapshotLogSequence || 0 != divergedFrom;
    }

    /** The log sequence from which this standby's records left the primary's history; 0 while none was found. */
    public long divergedFrom()
    {
        return divergedFrom;
    }

    /** The log sequence of the primary's snapshot installed, for the node to load; 0 while none was. */
    public long installedSnapshotLogSequence()
    {
        return installedSnapshotLogSequence;
    }

    /** Commands put on the ring from catch-up since start. */
    public long caughtUpCommands()
    {
        return caughtUpCommands;
    }

    /** Whether the primary's replication stream is connected. */
    public boolean isConnected()
    {
        return adapter.isConnected();
    }

    public String stats()
    {
        return "standby at log sequence " + lastLogSequence + ", acked " + ackSender.sentLogSequence() +
            (isCatchingUp() ? ", catching up to " + liveAheadLogSequence : "") + ", catch-ups " + catchUps +
            " (" + caughtUpCommands + " commands)" + (0 == installedSnapshotLogSequence ? "" :
            ", stopped: the primary's snapshot at " + installedSnapshotLogSequence + " is being loaded") +
            (0 == divergedFrom ? "" : ", stopped: diverged from log sequence " + divergedFrom);
    }

    public void onClose()
    {
        CloseHelper.quietCloseAll(adapter, catchUp, requester, ackSender, snapshotReceiver);
    }

    /** What the next ack may cover: received (on the ring) or journaled, per the mode. */
    long coveredLogSequence()
    {
        return null == journalSequence ? lastLogSequence : recoveredLogSequence + journalSequence.getAsLong() + 1;
    }
}
