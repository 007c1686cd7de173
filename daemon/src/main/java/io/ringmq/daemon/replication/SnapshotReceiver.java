package io.ringmq.daemon.replication;

import io.ringmq.daemon.snapshot.SnapshotStore;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the chunks of the primary's snapshot file, as they come in order, to an incoming file beside the standby's
 * snapshots, and once the last has come forces it and installs it ({@link SnapshotStore#install}: checked, then
 * renamed into place). A chunk out of order (a chunk lost to a new request) starts nothing and drops what was
 * gathered: the standby asks again.
 * <p>
 * Not thread-safe: one thread (the follower's, or the start-up fetch's).
 */
final class SnapshotReceiver implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotReceiver.class);

    private final SnapshotStore snapshots;
    private final ByteBuffer copy = ByteBuffer.allocateDirect(64 * 1024);
    private FileChannel file;
    private Path incoming;
    private long logSequence;
    private long written;

    SnapshotReceiver(final SnapshotStore snapshots)
    {
        this.snapshots = snapshots;
    }

    /** Whether a snapshot is being gathered. */
    boolean isReceiving()
    {
        return null != file;
    }

    /**
     * @return the log sequence of the snapshot installed by this chunk (its last), or 0 (more to come, or a chunk
     *         out of order, or a whole file that did not check out, logged: see {@link #isReceiving()}).
     */
    long onChunk(
        final long snapshotLogSequence,
        final long fileLength,
        final long fileOffset,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        try
        {
            if (0 == fileOffset)
            {
                abandon();
                logSequence = snapshotLogSequence;
                incoming = snapshots.incomingFile(snapshotLogSequence);
                file = FileChannel.open(incoming, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                written = 0;
            }
            if (null == file || snapshotLogSequence != logSequence || fileOffset != written)
            {
                abandon();
                return 0;
            }
            for (int at = 0; at < length; at += copy.capacity())
            {
                final int part = Math.min(copy.capacity(), length - at);
                copy.clear();
                buffer.getBytes(offset + at, copy, part);
                copy.flip();
                while (copy.hasRemaining())
                {
                    file.write(copy);
                }
            }
            written += length;
            if (written < fileLength)
            {
                return 0;
            }
            file.force(true);
            file.close();
            file = null;
            if (!snapshots.install(incoming, logSequence))
            {
                LOG.error("standby: the primary's snapshot at log sequence {} came whole but does not check out " +
                    "(header or checksum): dropped, asking again", logSequence);
                return 0;
            }
            return logSequence;
        }
        catch (final IOException ex)
        {
            abandon();
            throw new UncheckedIOException("cannot write the primary's snapshot to " + incoming, ex);
        }
    }

    /** Drops what was gathered. */
    void abandon()
    {
        if (null != file)
        {
            try
            {
                file.close();
                Files.deleteIfExists(incoming);
            }
            catch (final IOException ignore)
            {
                // an incoming file left behind is never loaded (its name is not a snapshot's), and is overwritten
            }
            file = null;
        }
    }

    public void close()
    {
        abandon();
    }
}
