package io.ringmq.daemon;

import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A data directory that takes no writes is refused before the daemon starts anything, naming it. */
class DataDirectoryTest
{
    @TempDir
    Path tempDir;

    @Test
    void aDataDirectoryThatCannotBeWrittenIsRefusedBeforeAnythingStarts() throws IOException
    {
        final Path file = Files.writeString(tempDir.resolve("a-file"), "not a directory");
        final RingmqConfig config =
            TestDaemons.config(tempDir, Map.of("ringmq.data.dir", file.resolve("data").toString()));

        final DaemonContext ctx = new DaemonContext().settings(config);
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Daemon.launch(ctx));

        assertTrue(refused.getMessage().startsWith("ringmq.data.dir=" + file.resolve("data") +
            " is not a writable directory"), refused.getMessage());
        assertFalse(Files.exists(config.aeronDir()), "no media driver was started");
    }

    /** A start refused after the check (its Aeron directory taken, say) must leave no data directory behind. */
    @Test
    void theCheckLeavesNoDirectoryItMadeAndNothingInOneThatExisted() throws IOException
    {
        final Path missing = tempDir.resolve("new/data");
        DataDirectory.requireWritable(missing);
        assertFalse(Files.exists(tempDir.resolve("new")), "the directories it made are gone");

        final Path existing = Files.createDirectories(tempDir.resolve("existing"));
        DataDirectory.requireWritable(existing);
        assertTrue(Files.isDirectory(existing));
        try (var entries = Files.list(existing))
        {
            assertFalse(entries.findAny().isPresent(), "nothing left in it");
        }
    }
}
