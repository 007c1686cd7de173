package io.ringmq.core.state;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A 64-bit hash of a state's snapshot bytes, taken a chunk at a time as {@link QueueStateMachine#digest(StateDigest)}
 * streams them: the same bytes give the same digest however they are cut into chunks, so it is the state's, not the
 * chunk size's. Not a cryptographic hash: it tells two nodes whether their states differ, it does not defend against
 * someone making them collide.
 * <p>
 * Eight bytes at a time are multiplied and rotated into the hash (the mixing of the common multiply-rotate hashes),
 * then the length and a final avalanche are folded in. Reuse one instance; allocates nothing after construction.
 * Not thread-safe: used by the one thread reading the state.
 */
public final class StateDigest implements SnapshotChunkSink
{
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME_3 = 0x165667B19E3779F9L;

    private final UnsafeBuffer chunk =
        new UnsafeBuffer(ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN));
    private long hash;
    private long length;
    /** Bytes waiting for a whole word, lowest first. */
    private long pending;
    private int pendingBytes;

    /** The chunk the state is streamed through. */
    UnsafeBuffer chunk()
    {
        return chunk;
    }

    /** Starts a new digest. */
    public void reset()
    {
        hash = PRIME_3;
        length = 0;
        pending = 0;
        pendingBytes = 0;
    }

    public void onChunk(final DirectBuffer bytes, final int chunkLength)
    {
        int i = 0;
        while (pendingBytes > 0 && i < chunkLength)
        {
            addByte(bytes.getByte(i++));
        }
        for (; i + Long.BYTES <= chunkLength; i += Long.BYTES)
        {
            mix(bytes.getLong(i, ByteOrder.LITTLE_ENDIAN));
        }
        while (i < chunkLength)
        {
            addByte(bytes.getByte(i++));
        }
        length += chunkLength;
    }

    /** The digest of every byte taken since {@link #reset()}. */
    public long value()
    {
        long h = hash;
        if (pendingBytes > 0)
        {
            h = round(h, pending);
        }
        h ^= length;
        h ^= h >>> 33;
        h *= PRIME_2;
        h ^= h >>> 29;
        h *= PRIME_3;
        h ^= h >>> 32;
        return h;
    }

    private void addByte(final byte b)
    {
        pending |= (b & 0xFFL) << (8 * pendingBytes);
        if (++pendingBytes == Long.BYTES)
        {
            mix(pending);
            pending = 0;
            pendingBytes = 0;
        }
    }

    private void mix(final long word)
    {
        hash = round(hash, word);
    }

    private static long round(final long h, final long word)
    {
        return Long.rotateLeft(h ^ Long.rotateLeft(word * PRIME_2, 31) * PRIME_1, 27) * PRIME_1 + PRIME_3;
    }
}
