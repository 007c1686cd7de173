package io.ringmq.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data directory (journal and snapshots) must take writes before the daemon starts anything: one that does not
 * would let the daemon say it is running while its ring dies at the first command and every client waits.
 */
final class DataDirectory
{
    private DataDirectory()
    {
    }

    /**
     * Creates the directory if it is missing and writes and deletes a small file in it; then removes the
     * directories it created, so a start refused later (its Aeron directory taken, say) leaves no data directory
     * behind. The journal makes it again once the daemon starts for real.
     *
     * @throws IllegalStateException naming the key, the path and the reason if it cannot.
     */
    static void requireWritable(final Path directory)
    {
        final Path probe = directory.resolve(".ringmq-write-check");
        Path firstCreated = null;
        try
        {
            firstCreated = firstMissing(directory.toAbsolutePath());
            Files.createDirectories(directory);
            Files.write(probe, new byte[]{1});
            Files.delete(probe);
        }
        catch (final IOException | SecurityException ex)
        {
            throw new IllegalStateException("ringmq.data.dir=" + directory + " is not a writable directory (" +
                ex + "): the daemon keeps its journal and snapshots there; make it writable by this user, or " +
                "point ringmq.data.dir elsewhere", ex);
        }
        finally
        {
            removeCreated(directory.toAbsolutePath(), firstCreated);
        }
    }

    /** The outermost directory of the path that does not exist yet; null if the whole path exists. */
    private static Path firstMissing(final Path directory)
    {
        Path missing = null;
        for (Path path = directory; null != path && !Files.exists(path); path = path.getParent())
        {
            missing = path;
        }
        return missing;
    }

    /** Deletes the directories from {@code directory} up to {@code firstCreated}, innermost first, if empty. */
    private static void removeCreated(final Path directory, final Path firstCreated)
    {
        if (null == firstCreated)
        {
            return;
        }
        for (Path path = directory; null != path && path.startsWith(firstCreated); path = path.getParent())
        {
            try
            {
                Files.deleteIfExists(path);
            }
            catch (final IOException | SecurityException ex)
            {
                return; // not empty, or not ours to remove: leave it
            }
        }
    }
}
