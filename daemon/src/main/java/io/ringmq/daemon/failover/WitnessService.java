package io.ringmq.daemon.failover;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The witness's registry as an Aeron Cluster service: each request is a message in the cluster's log, applied to the
 * {@link WitnessRegistry} with the log's timestamp (the cluster's time, the same on every replay: never a node's
 * clock), and answered to the session that sent it. The registry goes into the cluster's snapshots.
 * <p>
 * Not thread-safe: runs on the clustered service container's thread.
 */
final class WitnessService implements ClusteredService
{
    /** How many times an answer or a snapshot is offered before it is given up (the node asks again). */
    private static final int OFFER_TRIES = 3;

    private final WitnessRegistry registry;
    private final UnsafeBuffer answer = new UnsafeBuffer(ByteBuffer.allocateDirect(WitnessMessages.ANSWER_LENGTH));
    private final UnsafeBuffer snapshot = new UnsafeBuffer(ByteBuffer.allocateDirect(WitnessRegistry.ENCODED_LENGTH));
    private Cluster cluster;
    private IdleStrategy idleStrategy;

    WitnessService(final WitnessRegistry registry)
    {
        this.registry = registry;
    }

    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        this.idleStrategy = cluster.idleStrategy();
        if (null != snapshotImage)
        {
            final boolean[] loaded = new boolean[1];
            while (!loaded[0] && !snapshotImage.isEndOfStream())
            {
                final int fragments = snapshotImage.poll((buffer, offset, length, header) ->
                {
                    registry.decode(buffer, offset);
                    loaded[0] = true;
                }, 1);
                idleStrategy.idle(fragments);
            }
        }
    }

    public void onSessionMessage(
        final ClientSession session,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        if (length < WitnessMessages.REQUEST_LENGTH)
        {
            return; // not a witness request: nothing to answer
        }
        final long nowNs = cluster.timeUnit().toNanos(timestamp);
        final int type = WitnessMessages.type(buffer, offset);
        final int node = WitnessMessages.node(buffer, offset);
        final long epoch = WitnessMessages.epoch(buffer, offset);
        final boolean granted = switch (type)
        {
            case WitnessMessages.RENEW ->
                registry.renew(node, epoch, WitnessMessages.inSyncStandby(buffer, offset), nowNs);
            case WitnessMessages.PROMOTE -> registry.promote(node, epoch, nowNs);
            default -> false; // READ, or a type this witness does not know: the registry as it stands
        };
        WitnessMessages.answer(
            answer, type, granted, WitnessMessages.requestCorrelationId(buffer, offset), registry, nowNs);
        for (int i = 0; i < OFFER_TRIES && session.offer(answer, 0, WitnessMessages.ANSWER_LENGTH) < 0; i++)
        {
            idleStrategy.idle();
        }
    }

    public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
    {
        registry.encode(snapshot, 0);
        while (snapshotPublication.offer(snapshot, 0, WitnessRegistry.ENCODED_LENGTH) < 0)
        {
            idleStrategy.idle(); // the snapshot must hold the registry: the consensus module waits for it
        }
    }

    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
    }

    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
    }

    public void onTimerEvent(final long correlationId, final long timestamp)
    {
    }

    public void onRoleChange(final Cluster.Role newRole)
    {
    }

    public void onTerminate(final Cluster cluster)
    {
    }
}
