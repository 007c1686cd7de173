package io.ringmq.journal;

import net.openhft.chronicle.queue.ExcerptAppender;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Forces the journal's queue files to disk from a thread other than the writer's, so that the writer keeps appending
 * while a sync runs (the {@link SyncHandler}'s thread).
 * <p>
 * Why not Chronicle's {@code ExcerptAppender.sync()} from the other thread: it reads the appender's wire and mapped
 * chunk, which the writer replaces as it crosses chunks and roll cycles, and it is not meant to be shared (Chronicle
 * appenders are single-threaded; {@code StoreAppender.sync()} reads those fields unguarded, and
 * {@code MappedBytesStore.syncUpTo} updates its synced length unguarded). Here the writer only publishes which file
 * it appends to, and the syncer forces that file through a channel of its own: {@code FileChannel.force(false)} is
 * fdatasync, which on Linux writes back the file's dirty page-cache pages, those dirtied through Chronicle's shared
 * mapping included (msync(MS_SYNC) comes to the same write-back, limited to a range). Only pages dirtied since the
 * last sync are written, so the cost is the same as the msync of the written range. It also syncs a file size that
 * grew, and a failure throws instead of being logged, so a sync that did not happen never becomes a receipt.
 * <p>
 * Threading: {@link #published} on the writer thread, at each end of batch and before the ring sequence that covers
 * it is published (so the syncer, which only acts once it has seen that sequence, sees the file too); {@link #sync},
 * {@link #closeChannel} and the test accessors on one syncer thread; {@link #close} once both have stopped.
 */
final class AppendedFileSync implements AutoCloseable
{
    /** Files the writer moved to, oldest first; one entry per roll cycle (not the hot path). */
    private final Queue<File> movedTo = new ConcurrentLinkedQueue<>();
    /** Writer thread: the roll cycle last published, and its file. */
    private int publishedCycle = Integer.MIN_VALUE;
    private File publishedFile;
    /** Syncer thread: the file it forces and its channel. */
    private File syncing;
    private FileChannel channel;
    private long forces;

    /**
     * Writer thread, at an end of batch: notes the file the appender writes to now if it changed (a new roll cycle).
     * Allocation-free while the cycle stays the same.
     *
     * @return the file the appender writes to, as published; null while the appender has none.
     */
    File published(final ExcerptAppender appender)
    {
        final int cycle = appender.cycle();
        if (cycle != publishedCycle)
        {
            final File file = appender.currentFile();
            if (null != file)
            {
                publishedCycle = cycle;
                publishedFile = file;
                movedTo.add(file);
            }
        }
        return publishedFile;
    }

    /**
     * Writer thread, when its appender closes (a pipeline stops): the next appender's first end of batch publishes its
     * file again, for the next syncer, which starts from nothing.
     */
    void appenderClosed()
    {
        publishedCycle = Integer.MIN_VALUE;
    }

    /**
     * Syncer thread: forces every file the writer published up to now, the one it writes to last. A file the writer
     * left is forced once more before its channel is closed, so records appended to it before the move are covered.
     *
     * @throws UncheckedIOException if a file cannot be opened or forced.
     */
    void sync()
    {
        try
        {
            File next;
            while (null != (next = movedTo.poll()))
            {
                if (!next.equals(syncing))
                {
                    if (null != syncing)
                    {
                        force();
                        closeChannel();
                    }
                    syncing = next;
                }
            }
            if (null != syncing)
            {
                force();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("journal sync of " + syncing + " failed", ex);
        }
    }

    private void force() throws IOException
    {
        if (null == channel)
        {
            channel = FileChannel.open(syncing.toPath(), StandardOpenOption.WRITE);
        }
        channel.force(false);
        forces++;
    }

    /** Syncer thread: how many times a file was forced (each sync forces each file published since, once). */
    long forces()
    {
        return forces;
    }

    /** Syncer thread: the file the last sync forced last (the writer's newest then); null before. */
    File syncing()
    {
        return syncing;
    }

    /**
     * Syncer thread, when it stops, after its last sync: closes its channel and forgets the file, which a later writer
     * publishes again ({@link #appenderClosed()}). So it never reopens a file it left: retention may have deleted it.
     */
    void closeChannel()
    {
        final FileChannel open = channel;
        syncing = null;
        if (null != open)
        {
            channel = null;
            try
            {
                open.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("closing the journal's sync channel", ex);
            }
        }
    }

    @Override
    public void close()
    {
        closeChannel();
    }
}
