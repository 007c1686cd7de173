package io.ringmq.transport.replication;

import io.aeron.ExclusivePublication;
import io.ringmq.transport.OfferOutcome;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The primary's end of the catch-up stream, a publication of its own (never the live one): journal records in
 * COMMANDS batches (through a {@link ReplicationPublisher}, the live stream's batching), snapshot chunks and the end
 * of a catch-up. Allocates nothing after construction.
 * <p>
 * Not thread-safe: owned by the catch-up server's thread.
 */
public final class CatchUpPublisher implements AutoCloseable
{
    /** Snapshot bytes per chunk: well under the largest message of the smallest term. */
    public static final int SNAPSHOT_CHUNK_BYTES = 4 * 1024;

    private final ExclusivePublication publication;
    private final ReplicationPublisher commands;
    /** The primary's epoch, in every frame: a standby of a newer epoch refuses them. */
    private final long epoch;
    private final UnsafeBuffer frame =
        new UnsafeBuffer(new byte[ReplicationFrames.SNAPSHOT_CHUNK_HEADER_LENGTH + SNAPSHOT_CHUNK_BYTES]);

    /** @param maxCommandLength the longest command (header plus frame) the journal can hold. */
    public CatchUpPublisher(final ExclusivePublication publication, final int maxCommandLength)
    {
        this(publication, maxCommandLength, EpochFence.FIRST_EPOCH);
    }

    /** @param epoch the epoch the primary serves in, written in every frame (COMMANDS as on the live stream). */
    public CatchUpPublisher(final ExclusivePublication publication, final int maxCommandLength, final long epoch)
    {
        this.publication = publication;
        // One batch per datagram: a batch that needs two costs both drivers twice the system calls and wake-ups.
        this.commands = new ReplicationPublisher(publication, maxCommandLength, epoch, publication.maxPayloadLength());
        this.epoch = epoch;
    }

    /** The batch journal records are gathered in: append, then flush, as on the live stream. */
    public ReplicationPublisher commands()
    {
        return commands;
    }

    /**
     * Offers one chunk of a snapshot file: {@code length} (at most {@link #SNAPSHOT_CHUNK_BYTES}) bytes of
     * {@code chunk} from {@code offset}, which go at {@code fileOffset} of the file.
     */
    public OfferOutcome snapshotChunk(
        final int requestId,
        final long snapshotLogSequence,
        final long fileLength,
        final long fileOffset,
        final DirectBuffer chunk,
        final int offset,
        final int length)
    {
        ReplicationFrames.writeSnapshotChunkHeader(frame, requestId, snapshotLogSequence, fileLength, fileOffset, epoch);
        frame.putBytes(ReplicationFrames.SNAPSHOT_CHUNK_HEADER_LENGTH, chunk, offset, length);
        return OfferOutcome.offer(publication, frame, 0, ReplicationFrames.SNAPSHOT_CHUNK_HEADER_LENGTH + length);
    }

    /**
     * Offers the end of a catch-up: everything up to {@code lastLogSequence} was sent.
     *
     * @param divergedFrom 0; or, when the standby's log left this primary's history (nothing was sent), the first log
     *                     sequence from which its records are to be set aside.
     */
    public OfferOutcome done(final int requestId, final long lastLogSequence, final long divergedFrom)
    {
        ReplicationFrames.writeCatchUpDone(frame, requestId, lastLogSequence, epoch, divergedFrom);
        return OfferOutcome.offer(publication, frame, 0, ReplicationFrames.CATCHUP_DONE_LENGTH);
    }

    /** Whether a standby is subscribed. */
    public boolean isConnected()
    {
        return publication.isConnected();
    }

    public void close()
    {
        publication.close();
    }
}
