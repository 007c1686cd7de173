package io.ringmq.daemon.snapshot;

import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.testing.Commands;
import io.ringmq.daemon.testing.SteppedClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot that cannot be written (here: its directory is a file, as a full or unwritable disk would refuse it)
 * is logged and counted, and the daemon goes on: snapshots are an optimisation of recovery, the journal holds every
 * command. Once the disk takes it again, the next one is written.
 */
class SnapshotterFailureTest
{
    @TempDir
    Path tempDir;

    @Test
    void aSnapshotThatCannotBeWrittenIsCountedAndTheNextOneIsTried() throws IOException
    {
        final Path directory = tempDir.resolve("snapshots");
        Files.writeString(directory, "in the way");
        final SteppedClock clock = new SteppedClock();
        final Snapshotter snapshotter = new Snapshotter(new SnapshotStore(directory, 2), 1, 0, clock, 0);
        final QueueStateMachine stateMachine = new QueueStateMachine(OutputSink.NONE);
        final Commands commands = new Commands(stateMachine);
        commands.nodeStarted();

        snapshotter.afterBatch(stateMachine);
        awaitTrue(() -> 1 == snapshotter.failedSnapshots(), "the failed write counted");
        assertEquals(0, snapshotter.lastWrittenLogSequence());

        Files.delete(directory); // the disk takes it again
        commands.connect(1, "aeron:ipc", 2001);
        awaitTrue(() ->
        {
            snapshotter.afterBatch(stateMachine); // batch after batch, until the failed write has let go
            return stateMachine.lastLogSequence() == snapshotter.lastWrittenLogSequence();
        }, "the next one written");
        snapshotter.close();
        assertEquals(1, snapshotter.failedSnapshots());
        assertTrue(Files.isDirectory(directory));
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "timed out waiting for " + what);
            Thread.yield();
        }
    }
}
