package io.ringmq.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ErrorDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NodeAdminAction;
import io.ringmq.codecs.NodeAdminEncoder;
import io.ringmq.codecs.NodeRole;
import io.ringmq.codecs.NodeStatusDecoder;
import io.ringmq.core.protocol.EgressFraming;
import io.ringmq.transport.NodeStatus;
import io.ringmq.transport.OfferOutcome;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Asks a node about itself, without opening a session (a standby has none to give): {@link #status} and
 * {@link #promote}. Each request goes to the node's ingress and is answered on this client's response channel; the
 * daemon answers it off the ring and journals nothing. For tools ({@code bin/ringmq status}, {@code promote}), not
 * the message path: it allocates.
 */
public final class NodeAdminClient implements AutoCloseable
{
    private final ClientContext ctx;
    private final Aeron aeron;
    private final Subscription answers;
    private final ExclusivePublication requests;
    private final int responseStreamId;
    private final IdleStrategy idle;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final NodeStatusDecoder statusDecoder = new NodeStatusDecoder();
    private final ErrorDecoder errorDecoder = new ErrorDecoder();
    private long awaited;
    private NodeStatus status;
    private RingmqException refusal;

    private NodeAdminClient(final ClientContext ctx)
    {
        this.ctx = ctx;
        this.aeron = ctx.aeron();
        this.idle = ctx.idleStrategy();
        this.responseStreamId = 0 != ctx.responseStreamId() ? ctx.responseStreamId() :
            ClientContext.RESPONSE_STREAM_ID_BASE + (int)(aeron.clientId() & 0x0FFF_FFFF);
        Subscription subscription = null;
        try
        {
            subscription = aeron.addSubscription(ctx.responseChannel(), responseStreamId);
            this.requests = aeron.addExclusivePublication(ctx.ingressChannel(), ctx.ingressStreamId());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(subscription);
            throw ex;
        }
        this.answers = subscription;
    }

    /** Reaches the node the context names (its Aeron directory and ingress channel, as a client would). */
    public static NodeAdminClient connect(final ClientContext ctx)
    {
        ctx.conclude();
        RingmqClient.connectAeron(ctx);
        try
        {
            return new NodeAdminClient(ctx);
        }
        catch (final RuntimeException ex)
        {
            closeAeron(ctx);
            throw ex;
        }
    }

    /** The node's role, epoch, log sequence, lag and state digest. */
    public NodeStatus status()
    {
        return request(NodeAdminAction.STATUS, false, ctx.responseTimeoutNs());
    }

    /**
     * Makes a standby the primary in the next epoch, and returns its status after.
     *
     * @param force promote even a standby that is not caught up, or whose primary is still connected.
     * @throws RingmqException naming why the node refused (a primary; a standby not caught up without force).
     */
    public NodeStatus promote(final boolean force)
    {
        return request(NodeAdminAction.PROMOTE, force, ctx.responseTimeoutNs());
    }

    /**
     * Planned switchover: the primary stops taking commands, waits until its standby has acked every one, hands over
     * to it (the standby promotes itself into the next epoch) and becomes its standby; returns the old primary's
     * status after (role standby, the new epoch).
     *
     * @param timeoutNs how long to wait for the answer: a drain and a promotion take longer than a status.
     * @throws RingmqException naming why the node refused (a standby; a standby not in sync or not heard).
     */
    public NodeStatus switchover(final long timeoutNs)
    {
        return request(NodeAdminAction.SWITCHOVER, false, timeoutNs);
    }

    private NodeStatus request(final NodeAdminAction action, final boolean force, final long timeoutNs)
    {
        final long deadlineNs = ctx.clock().nanoTime() + timeoutNs;
        awaitConnected(deadlineNs);
        awaited = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        status = null;
        refusal = null;
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new NodeAdminEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .correlationId(awaited)
            .responseStreamId(responseStreamId)
            .action(action)
            .force(force ? BooleanType.TRUE : BooleanType.FALSE)
            .responseChannel(ctx.responseChannel())
            .encodedLength();
        while (OfferOutcome.SENT != OfferOutcome.offer(requests, frame, 0, length))
        {
            checkDeadline(deadlineNs, action);
            idle.idle();
        }
        final FragmentAssembler assembler = new FragmentAssembler(this::onAnswer);
        idle.reset();
        while (null == status && null == refusal)
        {
            if (0 == answers.poll(assembler, 10))
            {
                checkDeadline(deadlineNs, action);
                idle.idle();
            }
        }
        if (null != refusal)
        {
            throw refusal;
        }
        return status;
    }

    private void awaitConnected(final long deadlineNs)
    {
        idle.reset();
        while (!requests.isConnected())
        {
            if (ctx.clock().nanoTime() - deadlineNs > 0)
            {
                throw new RingmqException("no ringmq daemon is running: a media driver is active in " +
                    aeron.context().aeronDirectoryName() + " but nothing listens on " + ctx.ingressChannel() +
                    " stream " + ctx.ingressStreamId());
            }
            idle.idle();
        }
    }

    private void checkDeadline(final long deadlineNs, final NodeAdminAction action)
    {
        if (ctx.clock().nanoTime() - deadlineNs > 0)
        {
            throw new RingmqException("no answer from the ringmq daemon to " + action.name().toLowerCase() +
                " within " + TimeUnit.NANOSECONDS.toMillis(ctx.responseTimeoutNs()) + " ms");
        }
    }

    private void onAnswer(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int end = offset + length;
        int position = offset;
        while (position + EgressFraming.LENGTH_PREFIX <= end)
        {
            final int frameLength = EgressFraming.frameLength(buffer, position);
            final int frameOffset = position + EgressFraming.LENGTH_PREFIX;
            if (frameLength < MessageHeaderDecoder.ENCODED_LENGTH || frameLength > end - frameOffset)
            {
                return;
            }
            onFrame(buffer, frameOffset);
            position = frameOffset + frameLength;
        }
    }

    private void onFrame(final DirectBuffer buffer, final int offset)
    {
        headerDecoder.wrap(buffer, offset);
        if (MessageHeaderDecoder.SCHEMA_ID != headerDecoder.schemaId())
        {
            return;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        if (NodeStatusDecoder.TEMPLATE_ID == headerDecoder.templateId())
        {
            statusDecoder.wrap(buffer, body, blockLength, version);
            if (awaited == statusDecoder.correlationId())
            {
                status = new NodeStatus(
                    NodeRole.STANDBY == statusDecoder.role() ? NodeStatus.STANDBY : NodeStatus.PRIMARY,
                    statusDecoder.epoch(),
                    statusDecoder.logSequence(),
                    statusDecoder.digest(),
                    statusDecoder.lagCommands(),
                    statusDecoder.lagMicros(),
                    BooleanType.TRUE == statusDecoder.inSync(),
                    statusDecoder.primaryEndpoint(),
                    // an older daemon's shorter block has no peerAlive, nor witnessReachable (both came within version 8)
                    blockLength > NodeStatusDecoder.peerAliveEncodingOffset() &&
                        BooleanType.TRUE == statusDecoder.peerAlive(),
                    blockLength > NodeStatusDecoder.witnessReachableEncodingOffset() &&
                        BooleanType.TRUE == statusDecoder.witnessReachable());
            }
        }
        else if (ErrorDecoder.TEMPLATE_ID == headerDecoder.templateId())
        {
            errorDecoder.wrap(buffer, body, blockLength, version);
            if (awaited == errorDecoder.correlationId())
            {
                refusal = new RingmqException(errorDecoder.code(), errorDecoder.message());
            }
        }
    }

    public void close()
    {
        CloseHelper.quietCloseAll(requests, answers);
        closeAeron(ctx);
    }

    private static void closeAeron(final ClientContext ctx)
    {
        if (ctx.ownsAeron())
        {
            CloseHelper.quietClose(ctx.aeron());
        }
    }
}
