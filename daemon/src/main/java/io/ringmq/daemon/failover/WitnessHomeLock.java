package io.ringmq.daemon.failover;

import io.aeron.archive.ArchiveMarkFile;
import io.aeron.cluster.service.ClusterMarkFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One witness per data directory, and a witness killed with -9 restartable at once.
 * <p>
 * The archive and the cluster each leave a mark file whose activity stamp a crashed process stops updating; a new
 * process refuses to start ("active mark file detected") until the stamp is a driver timeout old (10 s), so a
 * supervisor that restarts a killed witness at once would see it fail for that long. Holding an exclusive lock on
 * {@code <home>/witness.lock} for the process's life proves no other witness runs on this directory: mark files found
 * then were left by a dead one, and are removed before the cluster starts (they hold nothing the log and archive
 * need). A second witness started on the same directory is refused instead of fighting over it.
 * <p>
 * Not thread-safe: taken and released by the thread that launches and closes the witness.
 */
final class WitnessHomeLock implements AutoCloseable
{
    static final String FILE = "witness.lock";
    private static final Logger LOG = LoggerFactory.getLogger(WitnessHomeLock.class);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private WitnessHomeLock(final Path file, final FileChannel channel, final FileLock lock)
    {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on {@code home}'s lock file (creating both).
     *
     * @throws IllegalStateException if another witness holds it.
     */
    static WitnessHomeLock acquire(final Path home)
    {
        final Path file = home.resolve(FILE);
        FileChannel channel = null;
        try
        {
            Files.createDirectories(home);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final FileLock lock = tryLock(channel);
            if (null == lock)
            {
                throw new IllegalStateException("another witness runs on " + home + " (it holds " + file +
                    "): give each witness its own ringmq.data.dir");
            }
            return new WitnessHomeLock(file, channel, lock);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock the witness's directory " + home + " (" + file + ")", ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(channel);
            throw ex;
        }
    }

    /**
     * Removes the mark files a dead witness left in the archive and cluster directories; with the lock held, no live
     * witness owns them.
     *
     * @return how many were removed.
     */
    int removeStaleMarkFiles(final Path archiveDir, final Path clusterDir)
    {
        int removed = 0;
        for (final Path markFile : new Path[]{
            archiveDir.resolve(ArchiveMarkFile.FILENAME),
            clusterDir.resolve(ClusterMarkFile.FILENAME),
            clusterDir.resolve(ClusterMarkFile.markFilenameForService(0))})
        {
            try
            {
                if (Files.deleteIfExists(markFile))
                {
                    removed++;
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot remove the stale mark file " + markFile, ex);
            }
        }
        if (removed > 0)
        {
            LOG.warn("witness: removed {} mark files a witness that did not stop cleanly left (this one holds {})",
                removed, file);
        }
        return removed;
    }

    @Override
    public void close()
    {
        try
        {
            lock.release();
        }
        catch (final IOException ex)
        {
            // the channel's close releases it too
        }
        closeQuietly(channel);
    }

    /** The lock, or null if another process (or this one, through another channel) holds it. */
    private static FileLock tryLock(final FileChannel channel) throws IOException
    {
        try
        {
            return channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            return null;
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                // nothing more to release
            }
        }
    }
}
