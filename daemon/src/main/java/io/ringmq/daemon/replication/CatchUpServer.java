package io.ringmq.daemon.replication;

import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.JournalReader;
import io.ringmq.transport.OfferOutcome;
import io.ringmq.transport.replication.CatchUpPublisher;
import io.ringmq.transport.replication.CatchUpRequestPoller;
import io.ringmq.transport.replication.ReplicationFrames;
import io.ringmq.transport.replication.ReplicationPublisher;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The primary's catch-up server: answers a standby's request for the commands after its last log sequence, on a
 * thread and an Aeron publication of its own, so the ring (and its replicator) never waits for it. From the journal
 * while it still holds the range (a {@link JournalReader} moved to the record's index); otherwise the newest snapshot
 * file, chunked, then the journal after it. It ends each catch-up with a DONE naming the last log sequence sent, at
 * the journal's end as it finds it: the standby asks again if the live stream has gone further meanwhile.
 * <p>
 * A request from a standby whose log left this primary's history (an old primary come back, see
 * {@link EpochDivergence}) is answered with a DONE that names the point of divergence, and nothing else: what it would
 * be sent after its own last log sequence would not follow its records.
 * <p>
 * One request at a time: a newer one replaces the one being served. Sending is bounded by a {@link ByteRate}
 * ({@code ringmq.replication.catchup.max.bytes.per.second}), so a catch-up takes a bounded share of the disk, the
 * network and the CPU from the primary's ring. A standby that goes away ends the catch-up.
 * <p>
 * Each batch fills one datagram of the catch-up publication (see {@link CatchUpPublisher}): a read that ends on its
 * byte budget keeps its last, partial batch to fill from the next read; only the journal's end (for now) sends a
 * partial one. Per datagram both media drivers pay a system call and a wake-up, so fewer, fuller ones cost less.
 * <p>
 * Not thread-safe: runs on its own agent thread.
 */
public final class CatchUpServer implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpServer.class);
    /** Records read per duty cycle at most: the rate bound is checked between reads. Enough to fill the byte budget. */
    private static final int RECORDS_PER_READ = 2048;
    /** Bytes read per duty cycle (the record that reaches it included): large records overdraw the rate bound little. */
    private static final int BYTES_PER_READ = 64 * 1024;

    private enum Phase
    {
        IDLE, SNAPSHOT, JOURNAL, DONE
    }

    private final CatchUpRequestPoller requests;
    private final CatchUpPublisher publisher;
    private final ReplicationPublisher batch;
    private final ChronicleJournal journal;
    private final SnapshotStore snapshots;
    private final ByteRate rate;
    /** The epoch this primary serves in and its first log sequence: what a standby's log is matched against. */
    private final long epoch;
    private final long epochFirstLogSequence;
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(CatchUpPublisher.SNAPSHOT_CHUNK_BYTES);
    private final UnsafeBuffer chunkView = new UnsafeBuffer(chunk);
    private final JournalReader.Sink toBatch = this::append;
    private JournalReader reader;
    private Phase phase = Phase.IDLE;
    private int requestId;
    private boolean snapshotOnly;
    private long bytesInBatch;
    private int commandsInBatch;
    /** Whether the last flush was refused (back-pressure): the batch goes before anything more is read. */
    private boolean flushRefused;
    /** Bytes the current read has handed on: a read that came short of its budget reached the journal's end. */
    private long bytesRead;
    private FileChannel snapshotFile;
    private long snapshotLogSequence;
    private long snapshotLength;
    private long snapshotSent;
    private long doneLogSequence;
    /** The DONE's point of divergence: 0 unless the request came from a log that left this primary's history. */
    private long divergedFrom;
    private volatile long servedCommands;
    private volatile long servedSnapshots;
    private volatile long catchUps;

    public CatchUpServer(
        final CatchUpRequestPoller requests,
        final CatchUpPublisher publisher,
        final ChronicleJournal journal,
        final SnapshotStore snapshots,
        final long maxBytesPerSecond,
        final NanoClock nanoClock,
        final long epoch,
        final long epochFirstLogSequence)
    {
        this.epoch = epoch;
        this.epochFirstLogSequence = epochFirstLogSequence;
        this.requests = requests;
        this.publisher = publisher;
        this.batch = publisher.commands();
        this.journal = journal;
        this.snapshots = snapshots;
        this.rate = new ByteRate(maxBytesPerSecond, nanoClock);
    }

    public String roleName()
    {
        return "ringmq-catchup";
    }

    public int doWork()
    {
        int work = requests.poll();
        if (requests.hasRequest())
        {
            requests.take();
            start(requests.requestId(), requests.afterLogSequence(), requests.flags(), requests.epoch());
            work++;
        }
        switch (phase)
        {
            case SNAPSHOT:
                return work + sendSnapshot();
            case JOURNAL:
                return work + sendJournal();
            case DONE:
                return work + sendDone();
            default:
                return work;
        }
    }

    /** Commands sent to standbys from the journal since start. */
    public long servedCommands()
    {
        return servedCommands;
    }

    public String stats()
    {
        return "catch-ups served " + catchUps + " (" + servedCommands + " commands, " + servedSnapshots +
            " snapshots)";
    }

    public void onClose()
    {
        closeSnapshot();
        CloseHelper.quietClose(reader); // on this thread, which made it
        CloseHelper.quietClose(requests);
        CloseHelper.quietClose(publisher);
    }

    private void start(final int requestId, final long afterLogSequence, final int flags, final long standbyEpoch)
    {
        closeSnapshot();
        discardBatch();
        this.requestId = requestId;
        this.snapshotOnly = 0 != (flags & ReplicationFrames.SNAPSHOT_ONLY);
        catchUps++; // single writer: this thread
        divergedFrom = EpochDivergence.divergedFrom(standbyEpoch, afterLogSequence, epoch, epochFirstLogSequence);
        if (EpochDivergence.NONE != divergedFrom)
        {
            LOG.warn("catch-up {}: the standby's log (epoch {}, up to log sequence {}) left this primary's history " +
                "at log sequence {}, where epoch {} began: answered with that point, for it to set aside its " +
                "records from there on", requestId, standbyEpoch, afterLogSequence, divergedFrom, epoch);
            phase = Phase.DONE;
            doneLogSequence = divergedFrom - 1;
            return;
        }
        if (null == reader)
        {
            reader = journal.reader();
        }
        if (reader.seekAfter(afterLogSequence))
        {
            LOG.info("catch-up {}: the standby asks for the commands after log sequence {}{}", requestId,
                afterLogSequence, snapshotOnly ? " (a snapshot only if the journal no longer holds them)" : "");
            phase = snapshotOnly ? Phase.DONE : Phase.JOURNAL;
            doneLogSequence = afterLogSequence;
            return;
        }
        final List<Path> newest = snapshots.snapshotsNewestFirst();
        if (newest.isEmpty() || !openSnapshot(newest.get(0)) || snapshotLogSequence <= afterLogSequence)
        {
            closeSnapshot();
            LOG.error("catch-up {}: the standby asks for the commands after log sequence {}, which the journal no " +
                "longer holds, and there is no snapshot after them to send instead: the standby cannot catch up " +
                "(copy this node's data directory to it)", requestId, afterLogSequence);
            phase = Phase.DONE;
            doneLogSequence = afterLogSequence;
            return;
        }
        LOG.info("catch-up {}: the standby asks for the commands after log sequence {}, which the journal no longer " +
            "holds: sending the snapshot at {} ({} bytes){}", requestId, afterLogSequence, snapshotLogSequence,
            snapshotLength, snapshotOnly ? "" : ", then the journal after it");
        phase = Phase.SNAPSHOT;
    }

    private boolean openSnapshot(final Path file)
    {
        try
        {
            // Opened, the file stays readable here even if the snapshotter prunes it meanwhile.
            snapshotFile = FileChannel.open(file, StandardOpenOption.READ);
            snapshotLength = snapshotFile.size();
            snapshotSent = 0;
            snapshotLogSequence = SnapshotStore.logSequenceOf(file);
            return snapshotLogSequence > 0;
        }
        catch (final IOException ex)
        {
            LOG.warn("catch-up: cannot open snapshot {}: {}", file, ex.toString());
            return false;
        }
    }

    private int sendSnapshot()
    {
        if (!publisher.isConnected())
        {
            return standbyGone();
        }
        if (!rate.mayAcquire())
        {
            return 0;
        }
        try
        {
            chunk.clear().limit((int)Math.min(chunk.capacity(), snapshotLength - snapshotSent));
            while (chunk.hasRemaining())
            {
                if (snapshotFile.read(chunk, snapshotSent + chunk.position()) < 0)
                {
                    throw new IOException("the snapshot file ended at " + (snapshotSent + chunk.position()) +
                        " of " + snapshotLength + " bytes");
                }
            }
        }
        catch (final IOException ex)
        {
            LOG.error("catch-up {}: cannot read the snapshot at log sequence {}: {}", requestId,
                snapshotLogSequence, ex.toString());
            closeSnapshot();
            phase = Phase.IDLE; // the standby asks again, and is served a newer one
            return 1;
        }
        final int length = chunk.position();
        if (OfferOutcome.SENT != publisher.snapshotChunk(
            requestId, snapshotLogSequence, snapshotLength, snapshotSent, chunkView, 0, length))
        {
            return 0; // read again next time: a chunk is small
        }
        rate.spent(length);
        snapshotSent += length;
        if (snapshotSent < snapshotLength)
        {
            return 1;
        }
        closeSnapshot();
        servedSnapshots++; // single writer: this thread
        doneLogSequence = snapshotLogSequence;
        if (snapshotOnly || !reader.seekAfter(snapshotLogSequence))
        {
            phase = Phase.DONE;
            return 1;
        }
        phase = Phase.JOURNAL;
        return 1;
    }

    private int sendJournal()
    {
        if (!publisher.isConnected())
        {
            return standbyGone();
        }
        if (!rate.mayAcquire())
        {
            return 0;
        }
        if (flushRefused && !flush())
        {
            return 0; // nothing more is read while the standby takes nothing: no record is read twice
        }
        bytesRead = 0;
        final int read = reader.read(toBatch, RECORDS_PER_READ, BYTES_PER_READ);
        if (batch.hasPending() && read < RECORDS_PER_READ && bytesRead < BYTES_PER_READ)
        {
            // The journal's end for now (or no room): send what there is. After a full read the partial batch waits
            // for the next read to fill its datagram, rather than going as a small one of its own.
            flush(); // what does not go now goes first next time
        }
        doneLogSequence = reader.nextLogSequence() - 1;
        if (0 == read && !batch.hasPending())
        {
            if (reader.isBroken())
            {
                LOG.warn("catch-up {}: the journal could not be read past log sequence {}: the standby asks again",
                    requestId, doneLogSequence);
            }
            phase = Phase.DONE; // the journal's end for now
        }
        return read;
    }

    private boolean append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!batch.append(buffer, offset, length) && !(flush() && batch.append(buffer, offset, length)))
        {
            return false; // the full batch could not go now: this record is read again next time
        }
        bytesInBatch += length;
        commandsInBatch++;
        bytesRead += length;
        return true;
    }

    private boolean flush()
    {
        flushRefused = OfferOutcome.SENT != batch.flush();
        if (flushRefused)
        {
            return false;
        }
        rate.spent(bytesInBatch);
        servedCommands += commandsInBatch; // single writer: this thread
        bytesInBatch = 0;
        commandsInBatch = 0;
        return true;
    }

    private int sendDone()
    {
        if (!publisher.isConnected())
        {
            return standbyGone();
        }
        if (OfferOutcome.SENT != publisher.done(requestId, doneLogSequence, divergedFrom))
        {
            return 0;
        }
        LOG.info("catch-up {}: sent up to log sequence {}", requestId, doneLogSequence);
        phase = Phase.IDLE;
        return 1;
    }

    private int standbyGone()
    {
        LOG.info("catch-up {}: the standby went away at log sequence {}", requestId, doneLogSequence);
        closeSnapshot();
        discardBatch();
        phase = Phase.IDLE;
        return 1;
    }

    /** Drops what was gathered and not sent: a new catch-up, or nobody left to send it to. */
    private void discardBatch()
    {
        batch.discard();
        bytesInBatch = 0;
        commandsInBatch = 0;
        flushRefused = false;
    }

    private void closeSnapshot()
    {
        if (null != snapshotFile)
        {
            CloseHelper.quietClose(snapshotFile);
            snapshotFile = null;
        }
    }
}
