package io.ringmq.transport.replication;

import io.aeron.ExclusivePublication;
import io.ringmq.transport.OfferOutcome;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The primary's end of the replication stream: gathers the commands of a ring batch into one COMMANDS frame (see
 * {@link ReplicationFrames}) and offers it as one Aeron message, so a batch costs one offer rather than one per
 * command. Allocates nothing after construction.
 * <p>
 * Not thread-safe: owned by the replicator's ring thread.
 */
public final class ReplicationPublisher implements AutoCloseable
{
    /** A batch frame this large amortises the offer well; a larger command gets a frame of its own size. */
    private static final int PREFERRED_BATCH_BYTES = 64 * 1024;

    private final ExclusivePublication publication;
    private final UnsafeBuffer batch;
    /** The primary's epoch, in every frame: a standby of a newer epoch refuses them. */
    private final long epoch;
    private final int fillLength;
    private int position = ReplicationFrames.COMMANDS_HEADER_LENGTH;
    private int count;

    /**
     * @param maxCommandLength the longest command (header plus frame) the ring can hold.
     * @throws IllegalArgumentException if such a command would not fit the publication's largest message.
     */
    public ReplicationPublisher(final ExclusivePublication publication, final int maxCommandLength)
    {
        this(publication, maxCommandLength, EpochFence.FIRST_EPOCH);
    }

    /**
     * @param maxCommandLength the longest command (header plus frame) the ring can hold.
     * @param epoch            the epoch this primary serves in, written in every frame.
     * @throws IllegalArgumentException if such a command would not fit the publication's largest message.
     */
    public ReplicationPublisher(final ExclusivePublication publication, final int maxCommandLength, final long epoch)
    {
        this(publication, maxCommandLength, epoch, Integer.MAX_VALUE);
    }

    /**
     * @param maxCommandLength the longest command (header plus frame) the ring can hold.
     * @param epoch            the epoch this primary serves in, written in every frame.
     * @param fillLength       the most bytes a batch of more than one command is filled to: catch-up gives its
     *                         publication's largest unfragmented payload, so each batch is one datagram; a command
     *                         longer than that still goes, in a batch of its own.
     * @throws IllegalArgumentException if such a command would not fit the publication's largest message.
     */
    public ReplicationPublisher(
        final ExclusivePublication publication, final int maxCommandLength, final long epoch, final int fillLength)
    {
        final int needed = ReplicationFrames.COMMANDS_HEADER_LENGTH + ReplicationFrames.COMMAND_LENGTH_PREFIX +
            maxCommandLength;
        if (needed > publication.maxMessageLength())
        {
            throw new IllegalArgumentException("a command of " + maxCommandLength + " bytes does not fit the " +
                "replication publication's largest message (" + publication.maxMessageLength() + " bytes)");
        }
        this.publication = publication;
        this.epoch = epoch;
        this.batch = new UnsafeBuffer(new byte[Math.min(publication.maxMessageLength(),
            Math.max(PREFERRED_BATCH_BYTES, BitUtil.findNextPositivePowerOfTwo(needed)))]);
        this.fillLength = Math.min(fillLength, batch.capacity());
    }

    /** The term length a replication publication needs so that a command of this length fits one message. */
    public static int termLengthFor(final int maxCommandLength)
    {
        final int message = ReplicationFrames.COMMANDS_HEADER_LENGTH + ReplicationFrames.COMMAND_LENGTH_PREFIX +
            maxCommandLength + 64; // Aeron's frame headers
        return Math.max(64 * 1024, BitUtil.findNextPositivePowerOfTwo(8 * message)); // Aeron: message <= term / 8
    }

    /**
     * Adds a command to the batch being gathered.
     *
     * @return false if the batch has no room for it (or is filled to its fill length): {@link #flush()} it, then add
     *         again (an empty batch always has room).
     */
    public boolean append(final DirectBuffer command, final int offset, final int length)
    {
        final int end = position + ReplicationFrames.COMMAND_LENGTH_PREFIX + length;
        if (end > batch.capacity() || (count > 0 && end > fillLength))
        {
            return false;
        }
        batch.putInt(position, length);
        batch.putBytes(position + ReplicationFrames.COMMAND_LENGTH_PREFIX, command, offset, length);
        position += ReplicationFrames.COMMAND_LENGTH_PREFIX + length;
        count++;
        return true;
    }

    /** Whether commands wait in the batch. */
    public boolean hasPending()
    {
        return count > 0;
    }

    /**
     * Offers the gathered batch as one message; on {@link OfferOutcome#SENT} the batch is empty again, otherwise it is
     * kept for the next try (or {@link #discard()}).
     */
    public OfferOutcome flush()
    {
        if (0 == count)
        {
            return OfferOutcome.SENT;
        }
        ReplicationFrames.writeCommandsHeader(batch, count, epoch);
        final OfferOutcome outcome = OfferOutcome.offer(publication, batch, 0, position);
        if (OfferOutcome.SENT == outcome)
        {
            discard();
        }
        return outcome;
    }

    /** Drops the gathered batch unsent (no standby to take it, and the ack mode does not wait for one). */
    public void discard()
    {
        position = ReplicationFrames.COMMANDS_HEADER_LENGTH;
        count = 0;
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
