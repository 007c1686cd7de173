package io.ringmq.daemon.snapshot;

import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.core.testing.Commands;
import io.ringmq.daemon.testing.SteppedClock;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshotter streams the state through one small chunk into the snapshot file: a state many chunks long comes back
 * exactly, and a disk that fails part-way (a full one while streaming, an I/O error at the fsync) leaves no part of a
 * snapshot behind, is counted, and the next snapshot is written once the disk takes it.
 */
class StreamedSnapshotFileTest
{
    private static final int CHUNK = 4096;

    @TempDir
    Path dir;

    private final SteppedClock clock = new SteppedClock();
    private final QueueStateMachine stateMachine = new QueueStateMachine(OutputSink.NONE);
    private final Commands commands = new Commands(stateMachine);

    @Test
    void aStateManyChunksLongIsWrittenAndLoadedBackExactly() throws IOException
    {
        fillState();
        final Snapshotter snapshotter = snapshotter(new SnapshotStore(dir, 2));

        snapshotter.afterBatch(stateMachine);
        awaitTrue(() -> stateMachine.lastLogSequence() == snapshotter.lastWrittenLogSequence(), "the snapshot written");
        snapshotter.close();

        final byte[] expected = wholeSnapshot(stateMachine);
        assertTrue(expected.length > 50 * CHUNK, "many chunks: " + expected.length + " bytes");
        final SnapshotStore.Loaded loaded = new SnapshotStore(dir, 2).loadNewest().orElseThrow();
        final byte[] read = new byte[loaded.state().capacity()];
        loaded.state().getBytes(0, read);
        assertArrayEquals(expected, read);
        final QueueStateMachine restored =
            QueueStateMachine.fromSnapshot(loaded.state(), 0, loaded.state().capacity(), OutputSink.NONE);
        assertArrayEquals(expected, wholeSnapshot(restored));
        assertEquals(List.of(SnapshotStore.fileName(stateMachine.lastLogSequence())), fileNames());
        assertEquals(0, snapshotter.failedSnapshots());
    }

    @Test
    void aDiskThatFillsWhileTheStateStreamsLeavesNoPartialSnapshotAndTheNextOneIsWritten() throws IOException
    {
        fillState();
        final boolean[] full = {true};
        final SnapshotStore store = new SnapshotStore(dir, 2, (temp) ->
        {
            final FileChannel file = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
            return full[0] ? new FillingDiskChannel(file, 10L * CHUNK + 123, false) : file;
        });
        final Snapshotter snapshotter = snapshotter(store);

        snapshotter.afterBatch(stateMachine);
        awaitTrue(() -> 1 == snapshotter.failedSnapshots(), "the failed write counted");
        assertEquals(List.of(), fileNames(), "no temporary file, no snapshot");
        assertEquals(0, snapshotter.lastWrittenLogSequence());

        full[0] = false; // space freed
        awaitTrue(() ->
        {
            // The next is due once as many commands follow as the failed one held messages.
            commands.tickAfterMs(1);
            snapshotter.afterBatch(stateMachine);
            return snapshotter.lastWrittenLogSequence() > 0;
        }, "the next written");
        snapshotter.close();
        assertEquals(1, snapshotter.failedSnapshots());
        final List<String> names = fileNames(); // ticks go on while it is written: a later one may follow it
        assertTrue(names.contains(SnapshotStore.fileName(snapshotter.lastWrittenLogSequence())), names::toString);
        assertTrue(names.stream().noneMatch((name) -> name.endsWith(".tmp")), names::toString);
    }

    @Test
    void anIoErrorAtTheFsyncLeavesNoPartialSnapshot() throws IOException
    {
        fillState();
        final SnapshotStore store = new SnapshotStore(dir, 2, (temp) -> new FillingDiskChannel(FileChannel.open(temp,
            StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING),
            Long.MAX_VALUE, true));
        final Snapshotter snapshotter = snapshotter(store);

        snapshotter.afterBatch(stateMachine);
        awaitTrue(() -> 1 == snapshotter.failedSnapshots(), "the failed fsync counted");
        snapshotter.close();
        assertEquals(List.of(), fileNames(), "no temporary file, no snapshot");
        assertEquals(0, snapshotter.lastWrittenLogSequence());
    }

    private Snapshotter snapshotter(final SnapshotStore store)
    {
        return new Snapshotter(store, 1, 0, clock, 0, (logSequence) -> {}, CHUNK);
    }

    /** Messages held and in flight, with payloads larger than the chunk among them. */
    private void fillState()
    {
        commands.nodeStarted(10_000, 3);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 2, "q", "g", 50);
        for (int i = 0; i < 400; i++)
        {
            commands.publish(1, 10 + i, "q", "message-" + i + "-" + "x".repeat(i % 7 == 0 ? 2 * CHUNK : i));
        }
    }

    private static byte[] wholeSnapshot(final QueueStateMachine stateMachine)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final int length = stateMachine.writeSnapshot(buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private List<String> fileNames() throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map((path) -> path.getFileName().toString()).sorted().toList();
        }
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
