package io.ringmq.perf.recovery;

import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import io.ringmq.journal.ReplayProgress;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Cold recovery time: how long a daemon's start-up takes to rebuild its state from a journal of N publishes
 * (default 10,000,000 of 100 B to one queue, nothing consumed), replaying it into a fresh {@link QueueStateMachine}
 * with outputs suppressed, exactly as {@code Daemon} does (checksums verified, progress reporter on). Asserts nothing
 * about speed; reports records/s.
 * <p>
 * Phases: {@code write} builds the journal, {@code replay} recovers from it; {@code perf/bin/run-recovery} runs them
 * in two JVMs so the replay's JVM starts cold as a restarted daemon's does (the journal is in the page cache,
 * as after a process restart; dropping the cache is the operator's choice). Each of {@code --passes} replays goes
 * into a new state machine; the first is the cold one.
 */
public final class JournalRecoveryBenchmark
{
    /**
     * One replay: records, wall-clock and CPU nanoseconds of the replaying thread (on a shared machine the CPU time
     * says more than the wall clock), the last log sequence the state reached, and GC time in the pass.
     */
    public record Pass(long records, long elapsedNs, long cpuNs, long gcMs, long lastLogSequence)
    {
        public long recordsPerSecond()
        {
            return elapsedNs <= 0 ? 0 : (long)(records * 1e9 / elapsedNs);
        }

        public long recordsPerCpuSecond()
        {
            return cpuNs <= 0 ? 0 : (long)(records * 1e9 / cpuNs);
        }

        public String format()
        {
            return String.format(Locale.ROOT, "replayed %,d records in %,d ms: %,d events/s; replay thread CPU " +
                "%,d ms (%,d events per CPU-second); GC %,d ms; last log sequence %d", records,
                TimeUnit.NANOSECONDS.toMillis(elapsedNs), recordsPerSecond(), TimeUnit.NANOSECONDS.toMillis(cpuNs),
                recordsPerCpuSecond(), gcMs, lastLogSequence);
        }
    }

    private JournalRecoveryBenchmark()
    {
    }

    public static void main(final String[] args)
    {
        final RecoveryContext ctx;
        try
        {
            ctx = new RecoveryContext().parse(args).conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("run-recovery: " + ex.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("JournalRecoveryBenchmark " + ctx);
        if (ctx.phase() != RecoveryContext.Phase.REPLAY)
        {
            final long startNs = System.nanoTime();
            final long records = write(ctx);
            final long ns = System.nanoTime() - startNs;
            System.out.printf(Locale.ROOT, "wrote %,d records to %s in %,d ms (%,d records/s), %,d MiB on disk%n",
                records, ctx.journalDir(), TimeUnit.NANOSECONDS.toMillis(ns), (long)(records * 1e9 / ns),
                diskBytes(ctx.journalDir()) >> 20);
        }
        if (ctx.phase() != RecoveryContext.Phase.WRITE)
        {
            for (final Pass pass : replay(ctx))
            {
                System.out.println(pass.format());
            }
        }
    }

    /** Writes a fresh journal (any previous one in the directory is deleted first). */
    public static long write(final RecoveryContext ctx)
    {
        deleteRecursively(ctx.journalDir());
        deleteRecursively(ctx.journalDir().resolveSibling("snapshots")); // they belonged to the old journal
        return new PublishJournalWriter().write(
            ctx.journalDir(), ctx.rollCycle(), ctx.commands(), ctx.payloadBytes(), ctx.consumed());
    }

    public static List<Pass> replay(final RecoveryContext ctx)
    {
        if (!Files.isDirectory(ctx.journalDir()))
        {
            throw new IllegalStateException("no journal in " + ctx.journalDir() + ": run the write phase first");
        }
        final List<Pass> passes = new ArrayList<>();
        for (int i = 0; i < ctx.passes(); i++)
        {
            passes.add(recover(ctx));
        }
        return passes;
    }

    private static Pass recover(final RecoveryContext ctx)
    {
        switch (ctx.mode())
        {
            case SNAPSHOT:
                return fromSnapshot(ctx);
            case FULL_REPLAY:
            default:
                return fullReplay(ctx);
        }
    }

    private static Pass fullReplay(final RecoveryContext ctx)
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long startGcMs = gcMillis();
        final long startCpuNs = threads.getCurrentThreadCpuTime();
        final long startNs = System.nanoTime();
        try (ChronicleJournal journal = ChronicleJournal.open(ctx.journalDir(), ctx.rollCycle(), FsyncPolicy.NONE))
        {
            final QueueStateMachine stateMachine = new QueueStateMachine(OutputSink.NONE);
            final ReplayProgress progress = new ReplayProgress(journal.estimateRecords(), TimeUnit.SECONDS.toNanos(2),
                new SystemNanoClock(), System.out::println, 1 << 14);
            final long[] lastLogSequence = {0};
            final long records = ctx.applyToStateMachine() ?
                journal.replay(stateMachine::apply, progress) :
                journal.replay((buffer, offset, length) -> lastLogSequence[0] = CommandHeader.logSequence(buffer, offset),
                    progress);
            return new Pass(records, System.nanoTime() - startNs, threads.getCurrentThreadCpuTime() - startCpuNs,
                gcMillis() - startGcMs, ctx.applyToStateMachine() ? stateMachine.lastLogSequence() : lastLogSequence[0]);
        }
    }

    /** Newest snapshot + the journal after it, timed from opening the snapshot to the last record applied. */
    private static Pass fromSnapshot(final RecoveryContext ctx)
    {
        final SnapshotStore store = new SnapshotStore(ctx.journalDir().resolveSibling("snapshots"), 2);
        if (store.snapshotsNewestFirst().isEmpty())
        {
            final long startNs = System.nanoTime();
            final QueueStateMachine full = new QueueStateMachine(OutputSink.NONE);
            try (ChronicleJournal journal = ChronicleJournal.open(ctx.journalDir(), ctx.rollCycle(), FsyncPolicy.NONE))
            {
                journal.replay(full::apply);
            }
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 20);
            final int length = full.writeSnapshot(buffer, 0);
            store.write(full.lastLogSequence(), System.currentTimeMillis() * 1_000_000L, buffer.byteArray(), length);
            System.out.printf(Locale.ROOT, "made a snapshot at log sequence %,d: %,d MiB in %,d ms (untimed)%n",
                full.lastLogSequence(), length >> 20, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
        }

        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long startGcMs = gcMillis();
        final long startCpuNs = threads.getCurrentThreadCpuTime();
        final long startNs = System.nanoTime();
        final SnapshotStore.Loaded snapshot = store.loadNewest().orElseThrow();
        final QueueStateMachine stateMachine =
            QueueStateMachine.fromSnapshot(snapshot.state(), 0, snapshot.state().capacity(), OutputSink.NONE);
        final long loadedNs = System.nanoTime() - startNs;
        try (ChronicleJournal journal = ChronicleJournal.open(ctx.journalDir(), ctx.rollCycle(), FsyncPolicy.NONE))
        {
            final long tail = journal.replayAfter(snapshot.logSequence(), stateMachine::apply,
                ReplayProgress.silent());
            System.out.printf(Locale.ROOT, "snapshot at log sequence %,d (%,d MiB) loaded in %,d ms; %,d journal " +
                "records after it%n", snapshot.logSequence(), snapshot.state().capacity() >> 20,
                TimeUnit.NANOSECONDS.toMillis(loadedNs), tail);
            return new Pass(snapshot.logSequence() + tail, System.nanoTime() - startNs,
                threads.getCurrentThreadCpuTime() - startCpuNs, gcMillis() - startGcMs, stateMachine.lastLogSequence());
        }
    }

    private static long gcMillis()
    {
        long millis = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            millis += Math.max(0, gc.getCollectionTime());
        }
        return millis;
    }

    private static long diskBytes(final Path dir)
    {
        try (Stream<Path> files = Files.list(dir))
        {
            long bytes = 0;
            for (final Path file : files.toList())
            {
                bytes += Files.size(file);
            }
            return bytes;
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    private static void deleteRecursively(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList())
            {
                Files.delete(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + dir, ex);
        }
    }
}
