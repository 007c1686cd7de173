package io.ringmq.daemon.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotStoreTest
{
    @TempDir
    Path dir;

    @Test
    void theNewestSnapshotIsLoadedBackAsWritten()
    {
        final SnapshotStore store = new SnapshotStore(dir, 3);
        store.write(10, 1, bytes("ten"), 3);
        store.write(20, 2, bytes("twenty"), 6);

        final SnapshotStore.Loaded loaded = store.loadNewest().orElseThrow();
        assertEquals(20, loaded.logSequence());
        assertEquals("twenty", loaded.state().getStringWithoutLengthAscii(0, loaded.state().capacity()));
    }

    @Test
    void aStateOfSeveralWriteChunksComesBackWhole()
    {
        final byte[] state = new byte[(5 << 20) / 2 + 7]; // two and a half 1 MiB chunks, and an odd tail
        new Random(42).nextBytes(state);
        final int length = state.length - 3; // only the first length bytes are the state
        final SnapshotStore store = new SnapshotStore(dir, 1);
        store.write(7, 0, state, length);

        final SnapshotStore.Loaded loaded = store.loadNewest().orElseThrow();
        final byte[] read = new byte[loaded.state().capacity()];
        loaded.state().getBytes(0, read);
        assertArrayEquals(Arrays.copyOf(state, length), read);
    }

    @Test
    void onlyTheNewestAreKept()
    {
        final SnapshotStore store = new SnapshotStore(dir, 2);
        for (long sequence = 1; sequence <= 5; sequence++)
        {
            store.write(sequence * 100, 0, bytes("s" + sequence), 2);
        }
        assertEquals(List.of(dir.resolve(SnapshotStore.fileName(500)), dir.resolve(SnapshotStore.fileName(400))),
            store.snapshotsNewestFirst());
    }

    @Test
    void theOldestKeptSnapshotBoundsJournalRetention()
    {
        final SnapshotStore store = new SnapshotStore(dir, 2);
        assertEquals(0, store.oldestLogSequence(), "no snapshot: nothing covered");
        store.write(100, 0, bytes("a"), 1);
        assertEquals(100, store.oldestLogSequence());
        store.write(200, 0, bytes("b"), 1);
        store.write(300, 0, bytes("c"), 1);
        assertEquals(200, store.oldestLogSequence(), "100 was pruned; 200 is what recovery may fall back to");
    }

    @Test
    void aDamagedNewestSnapshotIsSetAsideAndTheOlderOneUsed() throws IOException
    {
        final SnapshotStore store = new SnapshotStore(dir, 2);
        store.write(10, 0, bytes("older"), 5);
        final Path newest = store.write(20, 0, bytes("newer"), 5);
        try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw"))
        {
            file.seek(SnapshotStore.HEADER_LENGTH + 2);
            file.write('X'); // one flipped byte: the checksum no longer matches
        }

        final SnapshotStore.Loaded loaded = store.loadNewest().orElseThrow();
        assertEquals(10, loaded.logSequence());
        assertTrue(Files.exists(newest.resolveSibling(newest.getFileName() + ".corrupt")), "kept for inspection");
        assertEquals(List.of(dir.resolve(SnapshotStore.fileName(10))), store.snapshotsNewestFirst());
    }

    @Test
    void aTruncatedSnapshotIsNotLoaded() throws IOException
    {
        final SnapshotStore store = new SnapshotStore(dir, 2);
        final Path only = store.write(10, 0, bytes("complete"), 8);
        try (RandomAccessFile file = new RandomAccessFile(only.toFile(), "rw"))
        {
            file.setLength(file.length() - 1);
        }
        assertTrue(store.loadNewest().isEmpty());
    }

    @Test
    void noDirectoryMeansNoSnapshot()
    {
        assertTrue(new SnapshotStore(dir.resolve("absent"), 1).loadNewest().isEmpty());
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
