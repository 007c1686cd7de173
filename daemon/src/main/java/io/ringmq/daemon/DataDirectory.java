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
     * Creates the directory if it is missing and writes, forces and deletes a small file in it.
     *
     * @throws IllegalStateException naming the key, the path and the reason if it cannot.
     */
    static void requireWritable(final Path directory)
    {
        final Path probe = directory.resolve(".ringmq-write-check");
        try
        {
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
    }
}
