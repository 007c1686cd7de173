package io.ringmq.daemon;

import io.ringmq.client.RingmqClient;
import io.ringmq.config.ConfigException;
import io.ringmq.config.CpuList;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pinning keys pin the daemon's threads where they say: read back from the kernel ({@code /proc/self/task/<tid>}:
 * the allowed CPUs and the CPU the thread last ran on), not from the library that set them. Uses the highest CPU this
 * process may run on (CPU 1 on a 2-vCPU machine) so the pin differs from the unpinned default wherever there are two.
 */
class ThreadAffinityTest
{
    /** The kernel keeps the first 15 characters of a thread's name. */
    private static final int COMM_LENGTH = 15;

    @TempDir
    Path tempDir;

    @Test
    void aThreadFromAPinningFactoryRunsOnlyOnItsCpu() throws Exception
    {
        final int cpu = highestAllowedCpu();
        final CompletableFuture<String> seen = new CompletableFuture<>();
        final Thread thread = ThreadAffinity.factory("a test thread", CpuList.parse(Integer.toString(cpu)))
            .newThread(() -> seen.complete(threadStatus(Path.of("/proc/thread-self")) + " on " + lastCpu(
                Path.of("/proc/thread-self"))));
        thread.start();
        assertEquals(cpu + " on " + cpu, seen.get(30, TimeUnit.SECONDS));
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    @Test
    void aThreadStartedByAPinnedOneInheritsItsCpuUnlessGivenTheCpusTheProcessStartedWith() throws Exception
    {
        final int cpu = highestAllowedCpu();
        final String startedWith = threadStatus(Path.of("/proc/thread-self"));
        final BitSet startCpus = ThreadAffinity.currentCpus();
        final CompletableFuture<String> inherited = new CompletableFuture<>();
        final CompletableFuture<String> givenBack = new CompletableFuture<>();
        final Thread pinned = ThreadAffinity.factory("a test thread", CpuList.parse(Integer.toString(cpu))).newThread(() ->
        {
            startAndWait(() -> inherited.complete(threadStatus(Path.of("/proc/thread-self"))));
            startAndWait(ThreadAffinity.onCpus(startCpus,
                () -> givenBack.complete(threadStatus(Path.of("/proc/thread-self")))));
        });
        pinned.start();
        pinned.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(Integer.toString(cpu), inherited.get(30, TimeUnit.SECONDS), "what a plain new thread gets");
        assertEquals(startedWith, givenBack.get(30, TimeUnit.SECONDS));
    }

    private static void startAndWait(final Runnable runnable)
    {
        final Thread thread = new Thread(runnable);
        thread.start();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theRingThreadAndTheDriversThreadsArePinnedInADaemon()
    {
        final int cpu = highestAllowedCpu();
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.affinity.ring", Integer.toString(cpu),
            "ringmq.aeron.threading.mode", "DEDICATED",
            "ringmq.affinity.driver.conductor", Integer.toString(cpu),
            "ringmq.affinity.driver.sender", Integer.toString(cpu),
            "ringmq.journal.fsync", "NONE"));
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(config));
            RingmqClient client = TestDaemons.connect(config))
        {
            assertEquals(1, client.publisher("pinned").publishAndWait("through the pinned ring"),
                "the pinned pipeline serves");
            assertPinned("ringmq-ring", cpu);
            assertPinned("driver-conductor", cpu);
            assertPinned("sender", cpu);
        }
    }

    /** Per stage, each ring thread takes the next CPU listed (journal, then dispatch), and the ingress its own. */
    @Test
    void perStageTheRingThreadsTakeTheListedCpusInTurnAndTheIngressItsOwn()
    {
        final int cpu = highestAllowedCpu();
        final int first = allowedCpus().nextSetBit(0);
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.ring.threads", "PER_STAGE",
            "ringmq.affinity.ring", first == cpu ? Integer.toString(cpu) : first + "," + cpu,
            "ringmq.affinity.ingress", Integer.toString(cpu),
            "ringmq.journal.fsync", "NONE"));
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(config));
            RingmqClient client = TestDaemons.connect(config))
        {
            assertEquals(1, client.publisher("pinned").publishAndWait("through the pinned ingress"));
            assertPinned("ringmq-ingress", cpu);
            final List<String> ringCpus = tasks("ringmq-ring").stream().map(ThreadAffinityTest::threadStatus)
                .sorted().toList();
            assertEquals(first == cpu ? List.of("" + cpu, "" + cpu) : List.of("" + first, "" + cpu), ringCpus,
                "the journal and the dispatch thread, one CPU each");
        }
    }

    @Test
    void aCpuThisProcessMayNotUseIsRefusedBeforeAnythingStarts()
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.affinity.ring", "1023"));
        final ConfigException refused = assertThrows(ConfigException.class,
            () -> new DaemonContext().settings(config).conclude());
        assertEquals(List.of("ringmq.affinity.ring=1023 is invalid: must be CPUs this process may run on (" +
            ThreadAffinity.format(allowedCpus()) + "); 1023 is not (from system property)"), refused.problems());
        assertFalse(Files.exists(config.dataDir()), "refused before the data directory was made");
    }

    @Test
    void everyKeyListingAnUnavailableCpuIsNamed()
    {
        final BitSet onlyZero = new BitSet();
        onlyZero.set(0);
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.affinity.ring", "0",
            "ringmq.affinity.ingress", "0-2",
            "ringmq.affinity.driver.conductor", "3"));
        final ConfigException refused = assertThrows(ConfigException.class,
            () -> ThreadAffinity.requireAvailable(config, onlyZero));
        assertEquals(List.of(
            "ringmq.affinity.ingress=0,1,2 is invalid: must be CPUs this process may run on (0); 1-2 is not " +
                "(from system property)",
            "ringmq.affinity.driver.conductor=3 is invalid: must be CPUs this process may run on (0); 3 is not " +
                "(from system property)"), refused.problems());
        final ConfigException noPinning = assertThrows(ConfigException.class,
            () -> ThreadAffinity.requireAvailable(config, null));
        assertTrue(noPinning.problems().get(0).startsWith("ringmq.affinity.ring=0 is invalid: must be empty: " +
            "threads cannot be pinned on this platform"), noPinning.getMessage());
        ThreadAffinity.requireAvailable(TestDaemons.config(tempDir), null); // nothing pinned: nothing to check
    }

    private static void assertPinned(final String threadName, final int cpu)
    {
        final Path task = task(threadName);
        assertEquals(Integer.toString(cpu), threadStatus(task), threadName + "'s allowed CPUs");
        assertEquals(cpu, lastCpu(task), threadName + " last ran on");
    }

    /** The task directory of this process's one thread of that name. */
    private static Path task(final String threadName)
    {
        final List<Path> found = tasks(threadName);
        assertEquals(1, found.size(), () -> "threads named " + threadName + ": " + found);
        return found.get(0);
    }

    /** The task directories of this process's threads of that name (the kernel's comm, 15 characters at most). */
    private static List<Path> tasks(final String threadName)
    {
        final List<Path> found = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task")))
        {
            tasks.forEach((task) ->
            {
                try
                {
                    final String name = Files.readString(task.resolve("comm")).strip();
                    names.add(name);
                    if (name.equals(threadName.substring(0, Math.min(COMM_LENGTH, threadName.length()))))
                    {
                        found.add(task);
                    }
                }
                catch (final IOException ex) // the thread ended while we looked
                {
                    // not ours
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        assertFalse(found.isEmpty(), () -> "no thread named " + threadName + " among " + names);
        return found;
    }

    /** Cpus_allowed_list of a task: the kernel's own record of its affinity. */
    private static String threadStatus(final Path task)
    {
        try
        {
            return Files.readAllLines(task.resolve("status")).stream()
                .filter((line) -> line.startsWith("Cpus_allowed_list:"))
                .map((line) -> line.substring("Cpus_allowed_list:".length()).strip())
                .findFirst().orElseThrow();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Field 39 of a task's stat: the CPU it last ran on. */
    private static int lastCpu(final Path task)
    {
        try
        {
            final String stat = Files.readString(task.resolve("stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[39 - 3]);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static BitSet allowedCpus()
    {
        final BitSet allowed = new BitSet();
        for (final String part : threadStatus(Path.of("/proc/self")).split(","))
        {
            final String[] range = part.split("-");
            allowed.set(Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1]) + 1);
        }
        return allowed;
    }

    private static int highestAllowedCpu()
    {
        return allowedCpus().length() - 1;
    }
}
