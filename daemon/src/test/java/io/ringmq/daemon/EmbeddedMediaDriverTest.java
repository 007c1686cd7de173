package io.ringmq.daemon;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.driver.MediaDriver;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ringmq.aeron.sparse.terms} reaches the embedded driver: with {@code false} a new publication's terms take
 * their memory up front (so the dispatch thread takes no page faults on fresh term pages), with {@code true} they take
 * it as they are first written.
 */
class EmbeddedMediaDriverTest
{
    private static final long TERM_LENGTH = 1024 * 1024;

    @TempDir
    Path dataRoot;

    @Test
    void termsAreAllocatedInFullByDefault() throws Exception
    {
        final long allocated = allocatedBytesOfANewIpcPublication(Map.of());
        assertTrue(allocated >= 3 * TERM_LENGTH, "three whole terms, allocated: " + allocated);
    }

    @Test
    void sparseTermsAreAllocatedAsTheyAreWritten() throws Exception
    {
        final long allocated = allocatedBytesOfANewIpcPublication(Map.of("ringmq.aeron.sparse.terms", "true"));
        assertTrue(allocated < TERM_LENGTH, "less than one term before anything is written, allocated: " + allocated);
    }

    /** Launches the embedded driver with 1 MiB IPC terms, adds an IPC publication, and measures its log buffer. */
    private long allocatedBytesOfANewIpcPublication(final Map<String, String> extra) throws Exception
    {
        final RingmqConfig config = TestDaemons.config(dataRoot, extra);
        assertEquals(TERM_LENGTH, config.aeronIpcTermLength());
        try (MediaDriver driver = EmbeddedMediaDriver.launch(config);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            Publication publication = aeron.addPublication("aeron:ipc", 1))
        {
            assertEquals(TERM_LENGTH, publication.termBufferLength());
            final List<Path> logBuffers;
            try (Stream<Path> files = Files.list(Path.of(driver.aeronDirectoryName(), "publications")))
            {
                logBuffers = files.filter((file) -> file.toString().endsWith(".logbuffer")).toList();
            }
            assertEquals(1, logBuffers.size(), logBuffers::toString);
            return allocatedBytes(logBuffers.get(0));
        }
    }

    /**
     * The bytes the file system has allocated to the file (not its length, which a sparse file has in full too), from
     * GNU coreutils' {@code stat}: Linux, like the daemon's /dev/shm.
     */
    private static long allocatedBytes(final Path file) throws IOException, InterruptedException
    {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "GNU stat reports allocated blocks");
        final Process stat = new ProcessBuilder("stat", "--format=%b %B", file.toString())
            .redirectErrorStream(true)
            .start();
        final String output = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, stat.waitFor(), output);
        final String[] blocksAndSize = output.split(" ");
        return Long.parseLong(blocksAndSize[0]) * Long.parseLong(blocksAndSize[1]);
    }
}
