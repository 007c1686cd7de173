package io.ringmq.daemon.snapshot;

import io.ringmq.core.state.SnapshotChunkSink;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.zip.CRC32C;

/**
 * One snapshot on its way to disk: the state's bytes, streamed chunk by chunk into a temporary file next to where it
 * will go (file writes, into the page cache, on the writer thread while the owner serializes the next chunk),
 * checksummed as they pass; then {@link #finish} puts the header in front and forces the file, for
 * {@link SnapshotStore} to rename into place. Memory: the owner's chunk and two more in flight, whatever the state.
 * It ends either finished or {@link #abandon abandoned} (the temporary file deleted, once no write is in flight), so a
 * failure never leaves part of a snapshot behind; a write that fails is reported to the owner at its next chunk, or
 * by {@link #finish}.
 * <p>
 * Chunks come on the thread that owns the state; their writes run on the writer, in order; finishing or abandoning
 * may follow on either, once every chunk has been handed over.
 */
final class SnapshotFileWriter implements SnapshotChunkSink
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFileWriter.class);
    /** The header holds the body's length as an int. */
    private static final long MAX_BODY_BYTES = Integer.MAX_VALUE - SnapshotStore.HEADER_LENGTH;
    /** Chunks being written while the owner serializes the next: two, so one is always being filled. */
    private static final int IN_FLIGHT = 2;

    private final Path temp;
    private final long logSequence;
    private final long writtenAtEpochNs;
    private final FileChannel channel;
    private final Executor writer;
    private final ArrayBlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(IN_FLIGHT);
    /** Touched by the writer only (chunks reach it in order). */
    private final CRC32C crc = new CRC32C();
    private volatile Exception failure;
    private long bodyLength;
    private long streamNs;

    /**
     * @param writer   runs the file writes, one at a time and in order (a single thread, or the caller's own): the
     *                 owner copies each chunk into one of the {@code inFlight} buffers and goes on while it is written.
     * @param inFlight {@link #IN_FLIGHT} buffers, each as large as a chunk: the caller's to reuse once this writer is
     *                 finished or abandoned (direct ones spare the JDK a copy per write).
     */
    SnapshotFileWriter(
        final Path temp,
        final FileChannel channel,
        final long logSequence,
        final long writtenAtEpochNs,
        final Executor writer,
        final ByteBuffer[] inFlight) throws IOException
    {
        if (IN_FLIGHT != inFlight.length)
        {
            throw new IllegalArgumentException(inFlight.length + " buffers in flight, not " + IN_FLIGHT);
        }
        this.temp = temp;
        this.channel = channel;
        this.logSequence = logSequence;
        this.writtenAtEpochNs = writtenAtEpochNs;
        this.writer = writer;
        free.addAll(java.util.List.of(inFlight));
        channel.position(SnapshotStore.HEADER_LENGTH); // the header goes in last, once length and checksum are known
    }

    /** Buffers for {@link #SnapshotFileWriter}'s {@code inFlight}. */
    static ByteBuffer[] inFlightBuffers(final int chunkBytes)
    {
        final ByteBuffer[] buffers = new ByteBuffer[IN_FLIGHT];
        for (int i = 0; i < IN_FLIGHT; i++)
        {
            buffers[i] = ByteBuffer.allocateDirect(chunkBytes);
        }
        return buffers;
    }

    public void onChunk(final DirectBuffer chunk, final int length)
    {
        throwIfFailed();
        if (bodyLength + length > MAX_BODY_BYTES)
        {
            throw new IllegalStateException("the state is larger than a snapshot file holds (" + MAX_BODY_BYTES +
                " bytes)");
        }
        final ByteBuffer bytes = takeFree();
        if (bytes.capacity() < length)
        {
            free.add(bytes);
            throw new IllegalArgumentException("a chunk of " + length + " bytes, larger than " + bytes.capacity());
        }
        bytes.clear();
        bytes.put(view(chunk, length)).flip();
        bodyLength += length;
        try
        {
            writer.execute(() -> write(bytes));
        }
        catch (final RuntimeException ex)
        {
            free.add(bytes); // not handed over (the writer is shut down): nothing will free it
            throw ex;
        }
    }

    /** On the writer: checksums and writes one chunk, then frees its buffer; a failure is kept for the owner. */
    private void write(final ByteBuffer bytes)
    {
        try
        {
            if (null == failure)
            {
                crc.update(bytes.duplicate());
                SnapshotStore.writeFully(channel, bytes);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = ex;
        }
        finally
        {
            free.add(bytes);
        }
    }

    long logSequence()
    {
        return logSequence;
    }

    /** Bytes of state streamed so far. */
    long bodyLength()
    {
        return bodyLength;
    }

    /** How long streaming the state took (the ring waited meanwhile), for the log. */
    long streamNs()
    {
        return streamNs;
    }

    void streamNs(final long streamNs)
    {
        this.streamNs = streamNs;
    }

    Path temp()
    {
        return temp;
    }

    /** Writes the header, forces the file to disk and closes it: whole and durable, not yet in place. */
    void finish() throws IOException
    {
        awaitWrites();
        throwIfFailed();
        SnapshotStore.writeFully(channel,
            SnapshotStore.header(logSequence, writtenAtEpochNs, (int)bodyLength, (int)crc.getValue()), 0);
        channel.force(true);
        channel.close();
    }

    /** Closes and deletes the temporary file; does nothing once it is renamed into place. Never throws. */
    void abandon()
    {
        try
        {
            awaitWrites();
            channel.close();
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.warn("cannot close abandoned snapshot file {}: {}", temp, ex.toString());
        }
        try
        {
            Files.deleteIfExists(temp);
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.warn("cannot delete abandoned snapshot file {}: {}", temp, ex.toString());
        }
    }

    private void throwIfFailed()
    {
        final Exception failed = failure;
        if (null != failed)
        {
            throw new UncheckedIOException("cannot write snapshot " + logSequence + " to " + temp,
                failed instanceof IOException ? (IOException)failed : new IOException(failed));
        }
    }

    /** A buffer no write holds, waiting for one while both are being written. */
    private ByteBuffer takeFree()
    {
        try
        {
            return free.take();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while snapshot " + logSequence + " was being written", ex);
        }
    }

    /** Waits until every chunk handed over has been written (or has failed). */
    private void awaitWrites()
    {
        final ByteBuffer[] all = new ByteBuffer[IN_FLIGHT];
        for (int i = 0; i < IN_FLIGHT; i++)
        {
            all[i] = takeFree();
        }
        for (final ByteBuffer bytes : all)
        {
            free.add(bytes);
        }
    }

    /** Bytes {@code [0, length)} of the chunk, without a copy. */
    private static ByteBuffer view(final DirectBuffer chunk, final int length)
    {
        final int at = chunk.wrapAdjustment();
        final ByteBuffer wrapped = chunk.byteBuffer();
        if (null != wrapped)
        {
            return wrapped.duplicate().limit(at + length).position(at);
        }
        final byte[] array = chunk.byteArray();
        if (null != array)
        {
            return ByteBuffer.wrap(array, at, length);
        }
        throw new IllegalArgumentException("a snapshot chunk must wrap a ByteBuffer or an array");
    }
}
