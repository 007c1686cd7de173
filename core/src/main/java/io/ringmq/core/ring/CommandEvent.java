package io.ringmq.core.ring;

import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.QueryDecoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One preallocated slot of the command ring: a {@link CommandHeader} followed by the client's frame. The ingress
 * fills it, the journal and replicator read it, the dispatcher applies it.
 * <p>
 * The buffer starts at {@link #INITIAL_CAPACITY} and grows (once, to the next power of two) the first time a larger
 * command lands in this slot, so steady state allocates nothing while no memory is reserved up front for the
 * largest message on every slot. The initial capacity holds any command that arrived as one unfragmented Aeron
 * frame (the default MTU is 1,408 bytes), an AckBatch of a full poll included: with 512, slots kept growing through
 * the first millions of commands of a run (a fifth of the ingress thread). 2 KiB a slot is 32 MiB of direct memory
 * for the default ring of 16,384 slots.
 * <p>
 * Not thread-safe: ordered by the ring's sequence barriers.
 */
public final class CommandEvent
{
    public static final int INITIAL_CAPACITY = 2048;

    private UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(INITIAL_CAPACITY));
    private int length;
    private long ingressNanoTime;
    /** Read once as the slot is filled: the journal, the replicator and the dispatcher each ask for every command. */
    private boolean query;

    /**
     * Copies a frame into this slot behind a freshly written command header.
     */
    public void set(
        final long logSequence,
        final long timestampNs,
        final int transportSessionId,
        final long ingressNanoTime,
        final DirectBuffer frame,
        final int frameOffset,
        final int frameLength)
    {
        set(logSequence, timestampNs, transportSessionId, ingressNanoTime, frame, frameOffset, frameLength,
            isQuery(frame, frameOffset, frameLength));
    }

    /**
     * The same, for a producer that has already asked {@link #isQuery(DirectBuffer, int, int)} of the frame (a query
     * takes no log sequence of its own).
     */
    public void set(
        final long logSequence,
        final long timestampNs,
        final int transportSessionId,
        final long ingressNanoTime,
        final DirectBuffer frame,
        final int frameOffset,
        final int frameLength,
        final boolean query)
    {
        final int required = CommandHeader.LENGTH + frameLength;
        if (required > buffer.capacity())
        {
            buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BitUtil.findNextPositivePowerOfTwo(required)));
        }
        CommandHeader.write(buffer, 0, logSequence, timestampNs, transportSessionId);
        buffer.putBytes(CommandHeader.LENGTH, frame, frameOffset, frameLength);
        this.length = required;
        this.ingressNanoTime = ingressNanoTime;
        this.query = query;
    }

    /** The command: header then frame, from offset 0. */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Length of header plus frame. */
    public int length()
    {
        return length;
    }

    public long logSequence()
    {
        return CommandHeader.logSequence(buffer, 0);
    }

    /**
     * Whether this command is a Query: read-only, so the journal and the replicator pass it by and the dispatcher
     * answers it without applying it. It carries the log sequence of the command before it (it takes none of its
     * own), so journals and replication streams hold no gap where a query was answered.
     */
    public boolean isQuery()
    {
        return query;
    }

    /** Whether the frame at {@code frameOffset} is a Query of this schema (see {@link #isQuery()}). */
    public static boolean isQuery(final DirectBuffer frame, final int frameOffset, final int frameLength)
    {
        return frameLength >= MessageHeaderDecoder.ENCODED_LENGTH &&
            QueryDecoder.TEMPLATE_ID == FrameValidator.templateId(frame, frameOffset) &&
            QueryDecoder.SCHEMA_ID == (frame.getShort(frameOffset + MessageHeaderDecoder.schemaIdEncodingOffset(),
            ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
    }

    /** Monotonic {@code System.nanoTime()} at ingress, for stage latency histograms only (never journaled). */
    public long ingressNanoTime()
    {
        return ingressNanoTime;
    }
}
