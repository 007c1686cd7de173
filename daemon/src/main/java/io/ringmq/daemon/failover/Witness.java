package io.ringmq.daemon.failover;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ringmq.config.RingmqConfig;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The witness process ({@code bin/ringmq witness}): a one-member Aeron Cluster (media driver, archive, consensus
 * module, in this process) whose one service is the pair's {@link WitnessRegistry}. Its own directories: the media
 * driver in {@code ringmq.aeron.dir}, the archive and the cluster's log under {@code <ringmq.data.dir>/witness}; a
 * restarted witness replays its log (or snapshot) to the registry it had. Endpoints from {@code
 * ringmq.replication.witness.endpoint} (see {@link WitnessEndpoints}); lease and drift from their keys.
 * <p>
 * One member is a single point of failure for automatic failover only: a witness that is down stops automatic
 * failover, never the pair's serving. Three members (the same service) would survive one witness failure.
 */
public final class Witness implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Witness.class);
    /** Small terms: the witness's traffic is a few dozen bytes per lease renewal. */
    private static final String TERM = "term-length=256k";
    /** A node that stops renewing (or asking) is closed out of the cluster after this long. */
    private static final long SESSION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final WitnessHomeLock homeLock;
    private final ClusteredMediaDriver clusteredMediaDriver;
    private final ClusteredServiceContainer container;

    private Witness(
        final WitnessHomeLock homeLock,
        final ClusteredMediaDriver clusteredMediaDriver,
        final ClusteredServiceContainer container)
    {
        this.homeLock = homeLock;
        this.clusteredMediaDriver = clusteredMediaDriver;
        this.container = container;
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
        if (!config.witnessEnabled())
        {
            throw new IllegalArgumentException("ringmq.replication.witness.endpoint is not set: the witness needs " +
                "the HOST:PORT the pair's nodes reach it on");
        }
        final WitnessEndpoints endpoints = WitnessEndpoints.of(config.replicationWitnessEndpoint());
        final String aeronDir = config.aeronDir().toString();
        final Path home = config.dataDir().resolve("witness");
        final File clusterDir = home.resolve("cluster").toFile();

        final MediaDriver.Context driver = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(1, 1, 1_000, 100_000)) // parks at most 100 us: lease timing
            .ipcTermBufferLength(256 * 1024)
            .publicationTermBufferLength(256 * 1024)
            .termBufferSparseFile(true);
        final Archive.Context archive = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveDir(home.resolve("archive").toFile())
            .controlChannel("aeron:udp?endpoint=" + endpoints.archiveControl() + "|" + TERM)
            .localControlChannel("aeron:ipc?" + TERM)
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
            .ingressChannel("aeron:udp?" + TERM)
            .logChannel("aeron:udp?" + TERM + "|control-mode=manual|control=" + endpoints.logControl())
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
        try
        {
            homeLock.removeStaleMarkFiles(archive.archiveDir().toPath(), clusterDir.toPath());
            clusteredMediaDriver = ClusteredMediaDriver.launch(driver, archive, consensus);
            final ClusteredServiceContainer container = ClusteredServiceContainer.launch(service);
            LOG.info("ringmq witness ready: cluster ingress {}, members {}, data {}, aeron {}, lease {} ms, drift {} ms",
                endpoints.ingress(), endpoints.clusterMembers(), home, aeronDir,
                TimeUnit.NANOSECONDS.toMillis(config.replicationWitnessLeaseNs()),
                TimeUnit.NANOSECONDS.toMillis(config.replicationWitnessDriftNs()));
            return new Witness(homeLock, clusteredMediaDriver, container);
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietClose(clusteredMediaDriver);
            homeLock.close();
            throw ex;
        }
    }

    public void close()
    {
        CloseHelper.closeAll(container, clusteredMediaDriver, homeLock);
    }
}
