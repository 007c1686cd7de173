package io.ringmq.daemon.failover;

import io.aeron.archive.ArchiveMarkFile;
import io.aeron.cluster.service.ClusterMarkFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A witness killed with -9 left mark files whose stamps looked active for 10 s, so its restart failed ("active mark
 * file detected", found by PairFaultsIT's witness rounds); the lock on its directory makes them safe to remove.
 */
class WitnessHomeLockTest
{
    @TempDir
    Path home;

    @Test
    void aSecondWitnessOnTheSameDirectoryIsRefusedUntilTheFirstLetsGo()
    {
        try (WitnessHomeLock first = WitnessHomeLock.acquire(home))
        {
            final IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> WitnessHomeLock.acquire(home));
            assertTrue(refused.getMessage().contains("another witness runs on " + home), refused.getMessage());
        }
        WitnessHomeLock.acquire(home).close();
    }

    @Test
    void theMarkFilesADeadWitnessLeftAreRemovedAndNothingElse() throws IOException
    {
        final Path archive = Files.createDirectories(home.resolve("archive"));
        final Path cluster = Files.createDirectories(home.resolve("cluster"));
        final Path[] markFiles = {archive.resolve(ArchiveMarkFile.FILENAME), cluster.resolve(ClusterMarkFile.FILENAME),
            cluster.resolve(ClusterMarkFile.markFilenameForService(0))};
        for (final Path markFile : markFiles)
        {
            Files.write(markFile, new byte[64]);
        }
        final Path catalog = Files.write(archive.resolve("archive.catalog"), new byte[64]);
        final Path log = Files.write(cluster.resolve("recording.log"), new byte[64]);

        try (WitnessHomeLock lock = WitnessHomeLock.acquire(home))
        {
            assertEquals(3, lock.removeStaleMarkFiles(archive, cluster));
            assertEquals(0, lock.removeStaleMarkFiles(archive, cluster), "none left the second time");
        }
        for (final Path markFile : markFiles)
        {
            assertFalse(Files.exists(markFile), markFile.toString());
        }
        assertTrue(Files.exists(catalog) && Files.exists(log), "the archive's and the cluster's data stay");
    }
}
