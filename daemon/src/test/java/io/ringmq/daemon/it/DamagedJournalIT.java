package io.ringmq.daemon.it;

import io.ringmq.client.ClientContext;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon and a damaged journal, as an operator meets them: a byte flipped inside a record in the middle makes
 * {@code bin/ringmq daemon} refuse to start, naming the file and position; {@code --repair} keeps what came before
 * the damage, moves the damaged journal aside and starts. And a second stop signal forces the exit.
 */
class DamagedJournalIT
{
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    private final List<Path> aeronDirs = new ArrayList<>();
    private DaemonProcess daemon;

    @AfterEach
    void cleanUp() throws IOException
    {
        if (null != daemon && daemon.isAlive())
        {
            daemon.kill9();
        }
        for (final Path dir : aeronDirs)
        {
            DaemonProcess.deleteRecursively(dir);
        }
    }

    @Test
    void aCorruptRecordStopsStartUpAndRepairKeepsWhatCameBeforeIt() throws IOException
    {
        final Path repoRoot = DaemonProcess.findRepoRoot();
        final Path dataDir = tempDir.resolve("data");
        publishAndStop(repoRoot, dataDir, 30);

        final Path journalFile = queueFile(dataDir.resolve("journal"));
        flipByteInside(journalFile, "payload-15-end".getBytes(StandardCharsets.US_ASCII));

        daemon = DaemonProcess.start(repoRoot, writeConfig("refused", dataDir));
        assertEquals(1, daemon.awaitExit(START), daemon::output);
        final String stderr = String.join("\n", daemon.stderr());
        assertTrue(stderr.contains("ringmq: journal record at index") && stderr.contains(journalFile.toString()) &&
            stderr.contains("at byte") && stderr.contains("checksum") && stderr.contains("--repair"), daemon::output);

        daemon = DaemonProcess.start(repoRoot, writeConfig("repaired", dataDir), "--repair");
        daemon.awaitReady(START);
        assertTrue(daemon.stdout().stream().anyMatch((line) -> line.startsWith("journal repaired: kept the ")),
            daemon::output);
        try (Stream<Path> siblings = Files.list(dataDir))
        {
            assertTrue(siblings.anyMatch((path) -> path.getFileName().toString().startsWith("journal.damaged-")),
                "the damaged journal is kept next to the new one");
        }
        final List<String> held = new ArrayList<>();
        try (RingmqClient client = connect())
        {
            client.browse("d", "", 0, (message) -> held.add(message.payloadAsString()));
        }
        assertEquals(IntStream.rangeClosed(1, 14).mapToObj((i) -> "payload-" + i + "-end").toList(), held,
            "everything published before the damaged record, nothing after it");

        daemon.sigterm();
        assertEquals(0, daemon.awaitExit(START), daemon::output);
    }

    /**
     * Issue 18, item 2: a write a full disk cut short after Chronicle completed its record (a whole header, the pages
     * the kernel could not allocate read back as zeros) read as a checksum error and needed {@code --repair}. It is a
     * torn tail: the start sets it aside and goes on with everything before it.
     */
    @Test
    void aLastRecordAFullDiskCutShortIsSetAsideAndTheDaemonStarts() throws IOException
    {
        final Path repoRoot = DaemonProcess.findRepoRoot();
        final Path dataDir = tempDir.resolve("data");
        final String cutShort = "payload-cut-" + "x".repeat(3 * 4096) + "-end";
        daemon = DaemonProcess.start(repoRoot, writeConfig("first", dataDir));
        daemon.awaitReady(START);
        try (RingmqClient client = connect())
        {
            final Publisher publisher = client.publisher("d");
            for (int i = 1; i <= 5; i++)
            {
                publisher.publishAndWait("payload-" + i + "-end");
            }
            publisher.publishAndWait(cutShort);
            daemon.kill9(); // nothing journaled after it, as when the failed append stops the daemon
        }
        zeroFromAPageBoundaryInside(queueFile(dataDir.resolve("journal")),
            "payload-cut-".getBytes(StandardCharsets.US_ASCII), cutShort.length());

        daemon = DaemonProcess.start(repoRoot, writeConfig("restarted", dataDir));
        daemon.awaitReady(START);
        assertTrue(daemon.output().contains("a write cut short by a full disk"), daemon::output);
        final List<String> held = new ArrayList<>();
        try (RingmqClient client = connect())
        {
            client.publisher("d").publishAndWait("payload-after-end");
            client.browse("d", "", 0, (message) -> held.add(message.payloadAsString()));
        }
        final List<String> expected = new ArrayList<>(
            IntStream.rangeClosed(1, 5).mapToObj((i) -> "payload-" + i + "-end").toList());
        expected.add("payload-after-end");
        assertEquals(expected, held, "everything before the cut-short record, and the journal goes on");

        daemon.sigterm();
        assertEquals(0, daemon.awaitExit(START), daemon::output);
    }

    /** Issue 18, item 7: a queue file Chronicle cannot even open was exit code 2 and a stack trace. */
    @Test
    void aQueueFileCutShortStopsStartUpWithOneSentence() throws IOException
    {
        final Path repoRoot = DaemonProcess.findRepoRoot();
        final Path dataDir = tempDir.resolve("data");
        publishAndStop(repoRoot, dataDir, 1);
        try (FileChannel channel = FileChannel.open(queueFile(dataDir.resolve("journal")), StandardOpenOption.WRITE))
        {
            channel.truncate(100);
        }

        daemon = DaemonProcess.start(repoRoot, writeConfig("refused", dataDir));
        assertEquals(1, daemon.awaitExit(START), daemon::output);
        assertTrue(daemon.stderr().stream().anyMatch((line) -> line.startsWith("ringmq: journal record at index") &&
            line.contains("Chronicle cannot open the first queue file in " + dataDir.resolve("journal")) &&
            line.contains("--repair")), daemon::output);
        assertFalse(daemon.printedStackTrace(), daemon::output);
    }

    @Test
    void aSecondSignalDuringStartUpForcesTheExit() throws IOException
    {
        final Path repoRoot = DaemonProcess.findRepoRoot();
        daemon = DaemonProcess.start(repoRoot, writeConfig("signals", tempDir.resolve("data")));
        // Printed right after the signal handlers are installed, well before the daemon is up.
        daemon.awaitStdout((line) -> line.startsWith("data directory:"), START);
        daemon.sigtermThenSigint();
        // Sent back to back, the JVM may handle them in either order: the exit code is 128 + the second one's.
        final int exit = daemon.awaitExit(START);
        final String second = 130 == exit ? "SIGINT" : 143 == exit ? "SIGTERM" : "an exit code of 130 or 143";
        assertTrue(daemon.stderr().stream().anyMatch((line) -> line.contains("second signal (" + second + ") while " +
            "stopping: forcing exit")), () -> "exit " + exit + "\n" + daemon.output());
    }

    /** Runs a daemon over {@code dataDir} that journals payload-1-end .. payload-N-end on queue d, then stops it. */
    private void publishAndStop(final Path repoRoot, final Path dataDir, final int count) throws IOException
    {
        daemon = DaemonProcess.start(repoRoot, writeConfig("first", dataDir));
        daemon.awaitReady(START);
        try (RingmqClient client = connect())
        {
            final Publisher publisher = client.publisher("d");
            for (int i = 1; i <= count; i++)
            {
                publisher.publishAndWait("payload-" + i + "-end");
            }
        }
        daemon.sigterm();
        assertEquals(0, daemon.awaitExit(START), daemon::output);
    }

    private RingmqClient connect()
    {
        return RingmqClient.connect(new ClientContext()
            .aeronDirectoryName(aeronDirs.get(aeronDirs.size() - 1).toString())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .clientName("damaged-journal-test"));
    }

    private static Path queueFile(final Path journalDir) throws IOException
    {
        try (Stream<Path> files = Files.list(journalDir))
        {
            final List<Path> queueFiles = files.filter((path) -> path.toString().endsWith(".cq4")).toList();
            assertEquals(1, queueFiles.size(), queueFiles::toString);
            return queueFiles.get(0);
        }
    }

    /** Flips one bit of the first occurrence of {@code marker} in the file's first MiB, where the records are. */
    private static void flipByteInside(final Path file, final byte[] marker) throws IOException
    {
        final long at = positionOf(file, marker) + 3;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            channel.write(ByteBuffer.wrap(new byte[]{(byte)(one.get(0) ^ 0x20)}), at);
        }
    }

    /**
     * Zeroes the {@code length} bytes that start with {@code marker} from the first page boundary inside them on, as
     * pages a full disk never let the kernel allocate read back.
     */
    private static void zeroFromAPageBoundaryInside(final Path file, final byte[] marker, final int length)
        throws IOException
    {
        final long at = positionOf(file, marker);
        final long from = (at + marker.length + 4095L) & -4096L;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate((int)(at + length - from)), from);
        }
    }

    /** Where the first occurrence of {@code marker} in the file's first MiB (where the records are) starts. */
    private static long positionOf(final Path file, final byte[] marker) throws IOException
    {
        final ByteBuffer head = ByteBuffer.allocate(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            while (head.hasRemaining() && channel.read(head) >= 0)
            {
                // fill
            }
        }
        final byte[] bytes = head.array();
        for (int i = 0; i + marker.length <= head.position(); i++)
        {
            if (java.util.Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length))
            {
                return i;
            }
        }
        throw new AssertionError("marker not found in " + file);
    }

    private Path writeConfig(final String name, final Path dataDir) throws IOException
    {
        final Path aeronDir = DaemonProcess.uniqueAeronDir("ringmq-damaged-");
        aeronDirs.add(aeronDir);
        final Path file = tempDir.resolve(name + ".properties");
        Files.write(file, List.of(
            "ringmq.data.dir=" + dataDir,
            "ringmq.aeron.dir=" + aeronDir,
            "ringmq.aeron.ipc.term.length=1m",
            "ringmq.max.message.bytes=64k",
            "ringmq.ring.size=1024",
            // The journal alone: a snapshot taken at the stop would hold what the damaged records held.
            "ringmq.snapshot.every.commands=0",
            "ringmq.snapshot.interval=0"));
        return file;
    }
}
