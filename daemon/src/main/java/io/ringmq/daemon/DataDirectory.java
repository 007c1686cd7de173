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
     * Writes, forces and deletes a small file in the directory; a directory it had to make for that (the daemon makes
     * the data directory when it starts) is removed again, so a start refused later leaves no trace.
     *
     * @throws IllegalStateException naming the key, the path and the reason if it cannot.
     */
    static void requireWritable(final Path directory)
    {
        Path existing = directory.toAbsolutePath();
        while (null != existing && !Files.exists(existing))
        {
            existing = existing.getParent();
        }
        final Path probe = directory.resolve(".ringmq-write-check");
        try
        {
            Files.createDirectories(directory);
            Files.write(probe, new byte[]{1});
            Files.delete(probe);
            for (Path made = directory.toAbsolutePath(); null != made && !made.equals(existing); made = made.getParent())
            {
                Files.delete(made);
            }
        }
        catch (final IOException | SecurityException ex)
        {
            throw new IllegalStateException("ringmq.data.dir=" + directory + " is not a writable directory (" +
                ex + "): the daemon keeps its journal and snapshots there; make it writable by this user, or " +
                "point ringmq.data.dir elsewhere", ex);
        }
    }
}
