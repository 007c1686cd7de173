package io.ringmq.daemon;

import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ringmq.timer.slack} reaches the threads a daemon starts and nobody else's: read back from the kernel ({@code
 * /proc/<tid>/timerslack_ns}), not from the call that set it. Linux only; reading another thread's slack needs
 * CAP_SYS_NICE, so the daemon-wide cases run where the tests have it (root, as in CI).
 */
class TimerSlackTest
{
    @TempDir
    Path tempDir;

    @BeforeEach
    void onLinux()
    {
        assumeTrue(Files.isReadable(ownSlackFile()), "a kernel that shows timer slack per thread");
    }

    @Test
    void aThreadStartedMeanwhileTakesTheSlackAndTheCallerGetsItsOwnBack() throws Exception
    {
        final long ownNs = ownSlackNs();
        final CompletableFuture<Long> startedMeanwhile = new CompletableFuture<>();
        try (TimerSlack ignored = TimerSlack.forThreadsStartedHere(7_000))
        {
            new Thread(() -> startedMeanwhile.complete(ownSlackNs())).start();
        }
        final CompletableFuture<Long> startedAfter = new CompletableFuture<>();
        new Thread(() -> startedAfter.complete(ownSlackNs())).start();

        assertEquals(7_000L, startedMeanwhile.get(30, TimeUnit.SECONDS));
        assertEquals(ownNs, ownSlackNs(), "the caller's own slack, back");
        assertEquals(ownNs, startedAfter.get(30, TimeUnit.SECONDS), "a thread started after has the caller's");
    }

    @Test
    void theDaemonsThreadsTakeTheSlackAndTheLaunchingThreadKeepsItsOwn()
    {
        assumeTrue(canReadOtherThreads(), "CAP_SYS_NICE, to read another thread's slack");
        final long ownNs = ownSlackNs();

        final Map<String, Long> daemonThreads = slackOfServingDaemonsThreads("3us");

        assertEquals(ownNs, ownSlackNs(), "the launching thread got its own slack back");
        daemonThreads.forEach((name, slackNs) -> assertEquals(3_000L, slackNs, name));
    }

    @Test
    void zeroLeavesTheDaemonsThreadsWithTheLaunchingThreadsSlack()
    {
        assumeTrue(canReadOtherThreads(), "CAP_SYS_NICE, to read another thread's slack");
        final long ownNs = ownSlackNs();

        final Map<String, Long> daemonThreads = slackOfServingDaemonsThreads("0");

        daemonThreads.forEach((name, slackNs) -> assertEquals(ownNs, slackNs, name));
    }

    /** Launches a daemon with that slack from this thread, has it serve a publish, and reads its threads' slack. */
    private Map<String, Long> slackOfServingDaemonsThreads(final String slack)
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.timer.slack", slack, "ringmq.journal.fsync", "NONE"));
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(config));
            RingmqClient client = TestDaemons.connect(config))
        {
            client.publisher("slack").publishAndWait("through the ring");
            final Map<String, Long> daemonThreads = slackByThread("ringmq-", "driver", "sender", "receiver");
            assertFalse(daemonThreads.isEmpty(), "the daemon's threads");
            return daemonThreads;
        }
    }

    /** Each live thread of this process whose name (the kernel's comm) starts with one of the prefixes. */
    private static Map<String, Long> slackByThread(final String... prefixes)
    {
        final Map<String, Long> found = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task")))
        {
            tasks.forEach((task) ->
            {
                try
                {
                    final String name = Files.readString(task.resolve("comm")).strip();
                    if (Stream.of(prefixes).anyMatch(name::startsWith))
                    {
                        found.put(name + " (tid " + task.getFileName() + ")",
                            slackNs(Path.of("/proc", task.getFileName().toString(), "timerslack_ns")));
                    }
                }
                catch (final UncheckedIOException | IOException ex) // the thread ended while we looked
                {
                    // gone
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return found;
    }

    private static boolean canReadOtherThreads()
    {
        try
        {
            Files.readString(Path.of("/proc/1/timerslack_ns"));
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** /proc/thread-self has no timerslack_ns; /proc/<tid> has, and a thread may always read its own. */
    private static Path ownSlackFile()
    {
        try
        {
            return Path.of("/proc", Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString(),
                "timerslack_ns");
        }
        catch (final IOException ex)
        {
            return Path.of("/proc/no-thread-self");
        }
    }

    private static long ownSlackNs()
    {
        return slackNs(ownSlackFile());
    }

    private static long slackNs(final Path file)
    {
        try
        {
            return Long.parseLong(Files.readString(file).strip());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
