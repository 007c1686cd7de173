package io.ringmq.perf.recovery;

import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.daemon.snapshot.Snapshotter;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.SystemEpochNanoClock;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What taking a snapshot of a large backlog costs the dispatch thread (the ring waits for it) and the heap: the old
 * capture (the whole state serialized into one buffer sized from the estimate, then written by the snapshotter)
 * against the streamed one ({@link Snapshotter}: the state through a 1 MiB chunk straight into the file). Reports
 * per pass: the pause, the bytes the capturing thread allocated, and the heap pools' peak above the state's own
 * live size. Asserts nothing about speed.
 * <p>
 * {@code --messages N} (default 1,000,000) held messages of {@code --payload-bytes} (100) on one queue, built by
 * replaying a journal as a restart would; {@code --dir} for the journal and snapshots (a temporary directory);
 * {@code --passes} of each (2). Run with the daemon's JVM flags ({@code bin/jvm-options}).
 */
public final class SnapshotCaptureBenchmark
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private SnapshotCaptureBenchmark()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        long messages = 1_000_000;
        int payloadBytes = 100;
        int passes = 2;
        Path dir = null;
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--messages" -> messages = Long.parseLong(args[i + 1]);
                case "--payload-bytes" -> payloadBytes = Integer.parseInt(args[i + 1]);
                case "--passes" -> passes = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (null == dir)
        {
            dir = Files.createTempDirectory("ringmq-snapshot-bench");
        }
        final Path journalDir = dir.resolve("journal");
        new PublishJournalWriter().write(journalDir, "DAILY", messages, payloadBytes, false);
        final QueueStateMachine stateMachine = new QueueStateMachine(OutputSink.NONE);
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir, "DAILY", FsyncPolicy.NONE))
        {
            journal.replay(stateMachine::apply);
        }
        final long liveBytes = liveHeapBytes();
        System.out.printf(Locale.ROOT, "state: %,d messages of %d B held, %,d MiB of heap live, max heap %,d MiB%n",
            stateMachine.retainedMessages(), payloadBytes, liveBytes >> 20, Runtime.getRuntime().maxMemory() >> 20);

        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 1);
        for (int pass = 1; pass <= passes; pass++)
        {
            measure("whole buffer (before)", liveBytes, () ->
            {
                final long estimate = stateMachine.snapshotSizeEstimate();
                final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(
                    (int)Math.min(Integer.MAX_VALUE - 16, estimate + (estimate >> 2) + (estimate >> 3)));
                final int length = stateMachine.writeSnapshot(buffer, 0);
                return () -> store.write(stateMachine.lastLogSequence(), 0, buffer.byteArray(), length);
            });
            measure("streamed (after)", liveBytes, () ->
            {
                final Snapshotter snapshotter =
                    new Snapshotter(store, 1, 0, new SystemEpochNanoClock(), 0);
                snapshotter.afterBatch(stateMachine);
                return () ->
                {
                    snapshotter.close();
                    if (snapshotter.failedSnapshots() > 0)
                    {
                        throw new IllegalStateException("the streamed snapshot failed");
                    }
                };
            });
        }
    }

    /** The part the ring waits for; it returns what the snapshotter thread does after (not timed as the pause). */
    @FunctionalInterface
    private interface Capture
    {
        Runnable capture() throws Exception;
    }

    private static void measure(final String name, final long liveBytes, final Capture capture) throws Exception
    {
        System.gc();
        resetHeapPeaks();
        final long thread = Thread.currentThread().getId();
        final long allocatedBefore = THREADS.getThreadAllocatedBytes(thread);
        final long startNs = System.nanoTime();
        final Runnable rest;
        try
        {
            rest = capture.capture();
        }
        catch (final OutOfMemoryError ex)
        {
            System.out.printf(Locale.ROOT, "%-22s %s after %,d ms%n", name, ex,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
            return;
        }
        final long pauseNs = System.nanoTime() - startNs;
        final long allocated = THREADS.getThreadAllocatedBytes(thread) - allocatedBefore;
        final long peak = heapPeakBytes();
        rest.run();
        System.out.printf(Locale.ROOT, "%-22s ring pause %,6d ms, allocated by the capturing thread %,6d MiB, " +
            "heap peak %,6d MiB above the live state%n", name, TimeUnit.NANOSECONDS.toMillis(pauseNs), allocated >> 20,
            Math.max(0, peak - liveBytes) >> 20);
    }

    private static long liveHeapBytes()
    {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetHeapPeaks()
    {
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            if (MemoryType.HEAP == pool.getType())
            {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the reset: an upper bound on the heap used at once. */
    private static long heapPeakBytes()
    {
        long bytes = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            if (MemoryType.HEAP == pool.getType())
            {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes;
    }
}
