package io.ringmq.daemon.failover;

import io.aeron.Aeron;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.Counter;
import io.ringmq.config.Durations;
import io.ringmq.config.RingmqConfig;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The witness process ({@code bin/ringmq witness}): a one-member Aeron Cluster (media driver, archive, consensus
 * module, in this process) whose one service is the pair's {@link WitnessRegistry}. Its own directories: the media
 * driver in {@code ringmq.aeron.dir}, the archive and the cluster's log under {@code <ringmq.data.dir>/witness}; a
 * restarted witness loads its newest snapshot and replays the log after it to the registry it had; snapshots every
 * {@code ringmq.replication.witness.snapshot.interval} keep that log short ({@link WitnessCompaction}). Endpoints from {@code
 * ringmq.replication.witness.endpoint} (see {@link WitnessEndpoints}); lease and drift from their keys.
 * <p>
 * One member is a single point of failure for automatic failover only: a witness that is down stops automatic
 * failover, never the pair's serving. Three members (the same service) would survive one witness failure.
 */
public final class Witness implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Witness.class);
    /** How often the compaction agent looks at the clock and the snapshot counter: it has nothing urgent. */
    private static final long COMPACTION_IDLE_MS = 10;
    /** A node that stops renewing (or asking) is closed out of the cluster after this long. */
    private static final long SESSION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final WitnessHomeLock homeLock;
    private final ClusteredMediaDriver clusteredMediaDriver;
    private final ClusteredServiceContainer container;
    private final Aeron compactionAeron;
    private final AeronArchive compactionArchive;
    private final WitnessCompaction compaction;
    private final AgentRunner compactionRunner;

    private Witness(
        final WitnessHomeLock homeLock,
        final ClusteredMediaDriver clusteredMediaDriver,
        final ClusteredServiceContainer container,
        final Aeron compactionAeron,
        final AeronArchive compactionArchive,
        final WitnessCompaction compaction,
        final AgentRunner compactionRunner)
    {
        this.homeLock = homeLock;
        this.clusteredMediaDriver = clusteredMediaDriver;
        this.container = container;
        this.compactionAeron = compactionAeron;
        this.compactionArchive = compactionArchive;
        this.compaction = compaction;
        this.compactionRunner = compactionRunner;
    }

    /**
     * Starts the witness; returns once its cluster is up (it has elected itself and takes requests soon after). A
     * witness that was killed restarts at once over its directory ({@link WitnessHomeLock}).
     *
     * @throws IllegalArgumentException if {@code ringmq.replication.witness.endpoint} is not set.
     * @throws IllegalStateException    if another witness runs on the same data directory.
     */
    public static Witness launch(final RingmqConfig config)
    {
        return launch(config, WitnessStorage.DEFAULT);
    }

    /** As {@link #launch(RingmqConfig)}, with the log's term and the archive's segment lengths given (tests). */
    static Witness launch(final RingmqConfig config, final WitnessStorage storage)
    {
        if (!config.witnessEnabled())
        {
            throw new IllegalArgumentException("ringmq.replication.witness.endpoint is not set: the witness needs " +
                "the HOST:PORT the pair's nodes reach it on");
        }
        final WitnessEndpoints endpoints = WitnessEndpoints.of(config.replicationWitnessEndpoint());
        final String aeronDir = config.aeronDir().toString();
        final Path home = config.dataDir().resolve("witness");
        final File clusterDir = home.resolve("cluster").toFile();
        final String term = "term-length=" + storage.termLength();

        final MediaDriver.Context driver = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(1, 1, 1_000, 100_000)) // parks at most 100 us: lease timing
            .ipcTermBufferLength(storage.termLength()) // the snapshots' publications too
            .publicationTermBufferLength(storage.termLength())
            .termBufferSparseFile(true);
        final Archive.Context archive = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveDir(home.resolve("archive").toFile())
            .controlChannel("aeron:udp?endpoint=" + endpoints.archiveControl() + "|" + term)
            .localControlChannel("aeron:ipc?" + term)
            .segmentFileLength(storage.segmentLength()) // what compaction deletes whole
            .replicationChannel("aeron:udp?endpoint=" + endpoints.host() + ":0")
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED);
        final AeronArchive.Context archiveClient = new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .controlRequestChannel(archive.localControlChannel())
            .controlRequestStreamId(archive.localControlStreamId())
            .controlResponseChannel(archive.localControlChannel())
            .aeronDirectoryName(aeronDir);
        final ConsensusModule.Context consensus = new ConsensusModule.Context()
            .clusterMemberId(0)
            .clusterMembers(endpoints.clusterMembers())
            .clusterDir(clusterDir)
            .ingressChannel("aeron:udp?" + term)
            .logChannel("aeron:udp?" + term + "|control-mode=manual|control=" + endpoints.logControl())
            .replicationChannel("aeron:udp?endpoint=" + endpoints.host() + ":0")
            .sessionTimeoutNs(SESSION_TIMEOUT_NS)
            .archiveContext(archiveClient.clone());
        final ClusteredServiceContainer.Context service = new ClusteredServiceContainer.Context()
            .aeronDirectoryName(aeronDir)
            .archiveContext(archiveClient.clone())
            .clusterDir(clusterDir)
            .clusteredService(new WitnessService(
                new WitnessRegistry(config.replicationWitnessLeaseNs(), config.replicationWitnessDriftNs())));

        final WitnessHomeLock homeLock = WitnessHomeLock.acquire(home);
        ClusteredMediaDriver clusteredMediaDriver = null;
        ClusteredServiceContainer container = null;
        Aeron aeron = null;
        AeronArchive archiveForCompaction = null;
        try
        {
            homeLock.removeStaleMarkFiles(archive.archiveDir().toPath(), clusterDir.toPath());
            clusteredMediaDriver = ClusteredMediaDriver.launch(driver, archive, consensus);
            container = ClusteredServiceContainer.launch(service);

            // Its own Aeron client: a driver that stops answering is logged, never Aeron's default System.exit.
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir).clientName("ringmq-witness")
                .errorHandler((ex) -> LOG.error("witness: its Aeron client (compaction) failed", ex)));
            archiveForCompaction = AeronArchive.connect(archiveClient.clone().aeron(aeron).ownsAeronClient(false));
            final Counter snapshotsTaken =
                aeron.addCounter(WitnessCompaction.SNAPSHOTS_COUNTER_TYPE_ID, "ringmq witness snapshots");
            final Counter bytesPurged =
                aeron.addCounter(WitnessCompaction.BYTES_PURGED_COUNTER_TYPE_ID, "ringmq witness bytes purged");
            final ConsensusModule.Context consensusContext = clusteredMediaDriver.consensusModule().context();
            final WitnessCompaction compaction = new WitnessCompaction(aeron,
                consensusContext.controlToggleCounter().id(), consensusContext.snapshotCounter().id(), clusterDir,
                archiveForCompaction, SystemNanoClock.INSTANCE, config.replicationWitnessSnapshotIntervalNs(),
                snapshotsTaken, bytesPurged);
            final AgentRunner compactionRunner = new AgentRunner(new SleepingMillisIdleStrategy(COMPACTION_IDLE_MS),
                (ex) -> LOG.error("witness: compaction failed", ex), null, compaction);
            AgentRunner.startOnThread(compactionRunner);
            LOG.info("ringmq witness ready: cluster ingress {}, members {}, data {}, aeron {}, lease {} ms, drift {} ms, " +
                "snapshot every {}", endpoints.ingress(), endpoints.clusterMembers(), home, aeronDir,
                TimeUnit.NANOSECONDS.toMillis(config.replicationWitnessLeaseNs()),
                TimeUnit.NANOSECONDS.toMillis(config.replicationWitnessDriftNs()),
                Durations.format(config.replicationWitnessSnapshotIntervalNs()));
            return new Witness(homeLock, clusteredMediaDriver, container, aeron, archiveForCompaction,
                compaction, compactionRunner);
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietCloseAll(archiveForCompaction, aeron, container, clusteredMediaDriver);
            homeLock.close();
            throw ex;
        }
    }

    /** Snapshots taken since this witness started. */
    public long snapshotsTaken()
    {
        return compaction.snapshotsTaken();
    }

    /** Bytes of archive segment files deleted since this witness started (old snapshots and the log before them). */
    public long bytesPurged()
    {
        return compaction.bytesPurged();
    }

    public void close()
    {
        // Quietly: a client that closed itself (its driver stopped answering) refuses a second close.
        CloseHelper.quietCloseAll(compactionRunner, compactionArchive, compactionAeron);
        CloseHelper.closeAll(container, clusteredMediaDriver, homeLock);
    }
}
