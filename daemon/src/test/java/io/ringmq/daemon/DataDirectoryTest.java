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

        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Daemon.launch(config));

        assertTrue(refused.getMessage().startsWith("ringmq.data.dir=" + file.resolve("data") +
            " is not a writable directory"), refused.getMessage());
        assertFalse(Files.exists(config.aeronDir()), "no media driver was started");
    }

    @Test
    void aWritableDataDirectoryThatDoesNotExistYetIsLeftAsItWas()
    {
        final Path dataDir = tempDir.resolve("not").resolve("yet");
        DataDirectory.requireWritable(dataDir);
        assertFalse(Files.exists(tempDir.resolve("not")), "made for the check, removed after it");
    }
}
