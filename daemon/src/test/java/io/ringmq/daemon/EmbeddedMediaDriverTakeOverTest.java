package io.ringmq.daemon;

import io.aeron.CncFileDescriptor;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Aeron directory left as a driver leaves it, with the owner process and heartbeat the test chooses (Aeron's own
 * CnC file, its fields rewritten): the embedded driver takes over a dead driver's directory at once, however fresh
 * its last heartbeat, and refuses a live driver's, however old its heartbeat.
 */
class EmbeddedMediaDriverTakeOverTest
{
    @TempDir
    Path dataRoot;

    private RingmqConfig config;
    private Process child;

    @AfterEach
    void cleanUp() throws IOException
    {
        if (null != child)
        {
            child.destroyForcibly();
        }
        if (null != config)
        {
            deleteRecursively(config.aeronDir());
        }
    }

    /** Issue 18, item 6: a restart right after kill -9 was refused while the dead driver's heartbeat was under 1 s old. */
    @Test
    void aDriverWhoseProcessIsGoneIsTakenOverThoughItsHeartbeatIsFresh() throws Exception
    {
        config = TestDaemons.config(dataRoot);
        final long deadPid = finishedProcessPid();
        final long nowMs = System.currentTimeMillis();
        leaveDriverBehind(config.aeronDir(), deadPid, nowMs - 2_000, nowMs);

        try (MediaDriver driver = EmbeddedMediaDriver.launch(config))
        {
            final AeronDirectoryOwner owner = AeronDirectoryOwner.read(config.aeronDir());
            assertEquals(ProcessHandle.current().pid(), owner.pid(), "the directory is this process's now");
            assertEquals(Long.toString(ProcessHandle.current().pid()),
                Files.readString(config.aeronDir().resolve(Daemon.PID_FILE)));
        }
    }

    @Test
    void aDriverOfAnotherRunningProcessIsRefusedThoughItsHeartbeatIsOld() throws Exception
    {
        config = TestDaemons.config(dataRoot);
        child = new ProcessBuilder("sleep", "600").start();
        final long nowMs = System.currentTimeMillis();
        leaveDriverBehind(config.aeronDir(), child.pid(), nowMs, nowMs - TimeUnit.MINUTES.toMillis(5));

        final IllegalStateException refused =
            assertThrows(IllegalStateException.class, () -> EmbeddedMediaDriver.launch(config));
        assertEquals("a ringmq daemon (or another Aeron media driver) is already running with ringmq.aeron.dir=" +
            config.aeronDir() + ": its process (pid " + child.pid() + ") is running; stop it, or give this daemon its " +
            "own ringmq.aeron.dir", refused.getMessage());
        assertEquals(child.pid(), AeronDirectoryOwner.read(config.aeronDir()).pid(), "the directory is left alone");
    }

    @Test
    void aLiveDriverInThisProcessIsRefused()
    {
        config = TestDaemons.config(dataRoot);
        try (MediaDriver first = EmbeddedMediaDriver.launch(config))
        {
            final IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> EmbeddedMediaDriver.launch(config));
            assertTrue(refused.getMessage().contains("an earlier driver of this process, and the driver's last " +
                "heartbeat is "), refused.getMessage());
            assertTrue(Files.isRegularFile(config.aeronDir().resolve(CncFileDescriptor.CNC_FILE)),
                "the first driver keeps its directory");
        }
    }

    @Test
    void aDirectoryTheDriverCannotWriteStopsTheStartNamingTheKey() throws IOException
    {
        final Path notADirectory = Files.createFile(dataRoot.resolve("a-file"));
        final RingmqConfig inAFile = TestDaemons.config(dataRoot,
            Map.of("ringmq.aeron.dir", notADirectory.resolve("aeron").toString()));

        final IllegalStateException failed =
            assertThrows(IllegalStateException.class, () -> EmbeddedMediaDriver.launch(inAFile));
        assertTrue(failed.getMessage().startsWith("the embedded Aeron media driver cannot start in " +
            "ringmq.aeron.dir=" + inAFile.aeronDir() + ": "), failed.getMessage());
    }

    /** The pid of a process that has exited and been reaped. */
    private static long finishedProcessPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        assertEquals(0, process.waitFor());
        return process.pid();
    }

    /**
     * A real driver's directory, closed without deleting it, then made to look as if the driver of process
     * {@code pid}, started at {@code startMs}, had last heartbeated at {@code heartbeatMs} and then died.
     */
    private static void leaveDriverBehind(final Path aeronDir, final long pid, final long startMs, final long heartbeatMs)
    {
        MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.toString())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(false)).close();
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(
            aeronDir.resolve(CncFileDescriptor.CNC_FILE).toFile(), CncFileDescriptor.CNC_FILE);
        try
        {
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            metaData.putLong(CncFileDescriptor.pidOffset(0), pid);
            metaData.putLong(CncFileDescriptor.startTimestampOffset(0), startMs);
            new ManyToOneRingBuffer(CncFileDescriptor.createToDriverBuffer(cnc, metaData))
                .consumerHeartbeatTime(heartbeatMs);
        }
        finally
        {
            BufferUtil.free(cnc);
        }
    }

    private static void deleteRecursively(final Path dir) throws IOException
    {
        if (Files.exists(dir))
        {
            try (Stream<Path> paths = Files.walk(dir))
            {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
