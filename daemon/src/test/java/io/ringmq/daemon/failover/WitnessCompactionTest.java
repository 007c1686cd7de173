package io.ringmq.daemon.failover;

import io.aeron.Aeron;
import io.aeron.cluster.RecordingLog;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The witness's log is a cluster log entry per request and grew for as long as the witness ran. With snapshots every
 * 200 ms and 64 KiB archive segments, rounds of lease renewals write many times more log than the archive keeps
 * afterwards, and a witness restarted over what compaction left has the registry it had and answers as before.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WitnessCompactionTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int SEGMENT = 64 * 1024;
    private static final WitnessStorage SMALL = new WitnessStorage(SEGMENT, SEGMENT);
    private static final int ROUNDS = 30;
    /** About three segments of log a round (a renewal is a 96-byte log entry). */
    private static final int RENEWALS_PER_ROUND = 2_000;
    /**
     * What the archive may hold after a round: the two kept snapshots (two recordings each: the consensus module's and
     * the registry's), one being taken, and the log from the older kept snapshot on (each round waits for a snapshot
     * after its renewals, and snapshots come on a timer: at most three rounds) plus the segment that position falls in.
     */
    private static final long KEPT_BOUND = 3 * 2 * SEGMENT + 3 * RENEWALS_PER_ROUND * 96L + SEGMENT;
    private static final int PRIMARY = WitnessRegistry.NODE_OF_PRIMARY_ENDPOINT;
    private static final int STANDBY = WitnessRegistry.NODE_OF_STANDBY_ENDPOINT;

    @TempDir
    Path tempDir;

    private MediaDriver clientDriver;
    private Aeron aeron;
    private final List<Throwable> clientErrors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startClientDriver()
    {
        clientDriver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(TestDaemons.aeronDir())
            .threadingMode(ThreadingMode.SHARED)
            .publicationTermBufferLength(SEGMENT)
            .ipcTermBufferLength(SEGMENT)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(clientDriver.aeronDirectoryName())
            .errorHandler(clientErrors::add)); // the witness's restarts close sessions: never Aeron's System.exit
    }

    @AfterEach
    void stopClientDriver()
    {
        CloseHelper.quietCloseAll(aeron, clientDriver);
    }

    @Test
    void manyRenewalsLeaveABoundedArchiveAndARestartKeepsTheRegistry()
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.replication.witness.endpoint", "localhost:" + TestDaemons.freeUdpPorts(5),
            "ringmq.replication.witness.snapshot.interval", "200ms",
            "ringmq.replication.witness.lease", "300ms",
            "ringmq.replication.witness.drift", "50ms"));
        final Path archiveDir = config.dataDir().resolve("witness").resolve("archive");
        final Path clusterDir = config.dataDir().resolve("witness").resolve("cluster");

        final long[] registryBefore;
        long mostKept = 0;
        long logWritten = 0;
        try (Witness witness = Witness.launch(config, SMALL);
            WitnessClient client = new WitnessClient(config))
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                for (int i = 0; i < RENEWALS_PER_ROUND; i++)
                {
                    client.send(WitnessMessages.RENEW, PRIMARY, 1, STANDBY);
                }
                assertTrue(client.ask(WitnessMessages.RENEW, PRIMARY, 1, STANDBY).granted, "the holder renews");
                logWritten += (RENEWALS_PER_ROUND + 1) * 96L;
                final long snapshots = witness.snapshotsTaken();
                await(() -> witness.snapshotsTaken() > snapshots, "a snapshot after round " + round, client);
                mostKept = Math.max(mostKept, segmentBytes(archiveDir));
            }
            assertTrue(witness.bytesPurged() > 0, "the witness counts what it deleted");
            final Answer read = client.ask(WitnessMessages.READ, STANDBY, 1, WitnessRegistry.NO_NODE);
            registryBefore = new long[]{read.epoch, read.primary, read.inSyncStandby};
        }
        System.out.printf("witness compaction: %d bytes of log written in %d rounds, at most %d bytes of segment " +
            "files kept after a round (bound %d)%n", logWritten, ROUNDS, mostKept, KEPT_BOUND);
        assertTrue(logWritten > 4 * KEPT_BOUND, "the test writes far more log than may be kept: " + logWritten);
        assertTrue(mostKept <= KEPT_BOUND, "segment bytes kept " + mostKept + " > " + KEPT_BOUND +
            " (log written: " + logWritten + ")");
        assertTrue(firstLogSegmentPosition(archiveDir, clusterDir) > 0, "the log's first segments are gone");
        assertEquals(List.of(1L, (long)PRIMARY, (long)STANDBY), List.of(registryBefore[0], registryBefore[1],
            registryBefore[2]), "epoch 1, node 1 primary, node 2 in sync");

        try (Witness ignored = Witness.launch(config, SMALL);
            WitnessClient client = new WitnessClient(config))
        {
            final Answer read = client.ask(WitnessMessages.READ, STANDBY, 1, WitnessRegistry.NO_NODE);
            assertEquals(List.of(registryBefore[0], registryBefore[1], registryBefore[2]),
                List.of(read.epoch, (long)read.primary, (long)read.inSyncStandby), "the registry it had");

            assertFalse(client.ask(WitnessMessages.RENEW, STANDBY, 1, PRIMARY).granted,
                "another node's renewal in the same epoch is refused");
            assertTrue(client.ask(WitnessMessages.RENEW, PRIMARY, 1, STANDBY).granted, "the holder renews");
            assertFalse(client.ask(WitnessMessages.PROMOTE, STANDBY, 1, WitnessRegistry.NO_NODE).granted,
                "no promotion while the primary's lease runs");

            final Answer[] promoted = new Answer[1];
            await(() -> (promoted[0] = client.ask(WitnessMessages.PROMOTE, STANDBY, 1, WitnessRegistry.NO_NODE))
                .granted, "the in-sync standby takes epoch 2 once the lease and drift ran out", client);
            assertEquals(2, promoted[0].epoch);
            assertEquals(STANDBY, promoted[0].primary);
            assertFalse(client.ask(WitnessMessages.RENEW, PRIMARY, 1, STANDBY).granted,
                "the replaced primary's renewal is refused");
        }
    }

    /** Apparent bytes of the archive's segment files (each is set to the segment length when made). */
    private static long segmentBytes(final Path archiveDir)
    {
        try (Stream<Path> files = Files.list(archiveDir))
        {
            return files.filter((f) -> f.getFileName().toString().endsWith(".rec")).mapToLong((f) -> f.toFile().length())
                .sum();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Segment files are named {@code <recording id>-<base position>.rec}. */
    private static long firstLogSegmentPosition(final Path archiveDir, final Path clusterDir)
    {
        final long logRecordingId;
        try (RecordingLog recordingLog = new RecordingLog(clusterDir.toFile(), false))
        {
            logRecordingId = recordingLog.findLastTermRecordingId();
        }
        try (Stream<Path> files = Files.list(archiveDir))
        {
            return files.map((f) -> f.getFileName().toString())
                .filter((name) -> name.startsWith(logRecordingId + "-") && name.endsWith(".rec"))
                .mapToLong((name) -> Long.parseLong(name.substring(name.indexOf('-') + 1, name.indexOf('.'))))
                .min()
                .orElseThrow();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void await(final BooleanSupplier condition, final String what, final WitnessClient client)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail(what + ": not within 30 s");
            }
            client.poll();
            Thread.yield();
        }
    }

    /** The registry as one answer tells it. */
    private record Answer(boolean granted, long epoch, int primary, int inSyncStandby)
    {
    }

    /** A cluster client speaking the witness's messages, polled by the test's thread. */
    private final class WitnessClient implements AutoCloseable
    {
        private final AeronCluster cluster;
        private final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(WitnessMessages.REQUEST_LENGTH));
        private long nextCorrelationId = 1;
        private long awaited;
        private Answer answer;

        WitnessClient(final RingmqConfig config)
        {
            cluster = AeronCluster.connect(new AeronCluster.Context()
                .aeron(aeron)
                .ownsAeronClient(false)
                .ingressChannel("aeron:udp?term-length=64k")
                .ingressEndpoints(WitnessEndpoints.of(config.replicationWitnessEndpoint()).ingressEndpoints())
                .egressChannel("aeron:udp?endpoint=localhost:0|term-length=64k")
                .messageTimeoutNs(TimeUnit.SECONDS.toNanos(10))
                .egressListener((sessionId, timestamp, buffer, offset, length, header) ->
                {
                    if (length >= WitnessMessages.ANSWER_LENGTH &&
                        awaited == WitnessMessages.answerCorrelationId(buffer, offset))
                    {
                        answer = new Answer(WitnessMessages.granted(buffer, offset),
                            WitnessMessages.registryEpoch(buffer, offset),
                            WitnessMessages.registryPrimary(buffer, offset),
                            WitnessMessages.registryInSyncStandby(buffer, offset));
                    }
                }));
        }

        /** Offers one request, waiting out back-pressure; its answer is not waited for. */
        long send(final int type, final int node, final long epoch, final int inSyncStandby)
        {
            final long correlationId = nextCorrelationId++;
            WitnessMessages.request(request, type, node, epoch, inSyncStandby, correlationId);
            final long deadlineNs = System.nanoTime() + DEADLINE_NS;
            while (cluster.offer(request, 0, WitnessMessages.REQUEST_LENGTH) < 0)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    fail("the witness took no request for 30 s");
                }
                poll();
            }
            return correlationId;
        }

        Answer ask(final int type, final int node, final long epoch, final int inSyncStandby)
        {
            answer = null;
            awaited = send(type, node, epoch, inSyncStandby);
            await(() -> null != answer, "an answer to request " + awaited, this);
            return answer;
        }

        void poll()
        {
            cluster.pollEgress();
        }

        public void close()
        {
            cluster.close();
        }
    }
}
