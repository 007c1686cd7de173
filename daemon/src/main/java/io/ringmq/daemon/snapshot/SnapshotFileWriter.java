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
import java.util.zip.CRC32C;

/**
 * One snapshot on its way to disk: the state's bytes, streamed chunk by chunk into a temporary file next to where it
 * will go (file writes, into the page cache), checksummed as they pass; then {@link #finish} puts the header in front
 * and forces the file, for {@link SnapshotStore} to rename into place. It ends either finished or {@link #abandon
 * abandoned} (the temporary file deleted), so a failure never leaves part of a snapshot behind.
 * <p>
 * Not thread-safe: chunks come on the thread that owns the state; finishing or abandoning may follow on another
 * thread once that one has handed it over (an executor hand-off orders the two).
 */
final class SnapshotFileWriter implements SnapshotChunkSink
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFileWriter.class);
    /** The header holds the body's length as an int. */
    private static final long MAX_BODY_BYTES = Integer.MAX_VALUE - SnapshotStore.HEADER_LENGTH;

    private final Path temp;
    private final long logSequence;
    private final long writtenAtEpochNs;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private long bodyLength;
    private long streamNs;

    SnapshotFileWriter(final Path temp, final FileChannel channel, final long logSequence, final long writtenAtEpochNs)
        throws IOException
    {
        this.temp = temp;
        this.channel = channel;
        this.logSequence = logSequence;
        this.writtenAtEpochNs = writtenAtEpochNs;
        channel.position(SnapshotStore.HEADER_LENGTH); // the header goes in last, once length and checksum are known
    }

    public void onChunk(final DirectBuffer chunk, final int length)
    {
        if (bodyLength + length > MAX_BODY_BYTES)
        {
            throw new IllegalStateException("the state is larger than a snapshot file holds (" + MAX_BODY_BYTES +
                " bytes)");
        }
        final ByteBuffer bytes = view(chunk, length);
        crc.update(bytes.duplicate());
        try
        {
            SnapshotStore.writeFully(channel, bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write snapshot " + logSequence + " to " + temp, ex);
        }
        bodyLength += length;
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
