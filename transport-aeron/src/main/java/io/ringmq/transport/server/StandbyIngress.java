package io.ringmq.transport.server;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.ringmq.codecs.ConnectDecoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.NodeAdminDecoder;
import io.ringmq.core.protocol.FrameValidator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby's client ingress: the same subscriptions a primary reads, but nothing from them reaches the ring (the
 * standby's ring is the primary's commands only, so its journal stays the primary's). NodeAdmin requests (status,
 * promote) go to {@link NodeRequests}; a Connect is refused there with NOT_PRIMARY naming the primary, so a client
 * opens no session here and can send no publish, subscribe, ack or declare; any other frame names a session this node
 * does not have and is counted and dropped.
 * <p>
 * An agent: runs on the thread the daemon gives it until promotion hands the subscriptions to the primary's ingress.
 * Not thread-safe otherwise.
 */
public final class StandbyIngress implements Agent, FragmentHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(StandbyIngress.class);
    private static final int FRAGMENT_LIMIT = 16;

    private final Subscription[] subscriptions;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private final int maxFrameLength;
    private final EpochNanoClock clock;
    private final NodeAdminIntake intake;
    private volatile long droppedFrames;
    private long nowNs;

    public StandbyIngress(
        final Subscription[] subscriptions,
        final int maxFrameLength,
        final EpochNanoClock clock,
        final ConnectAdmission connectAdmission,
        final NodeRequests requests)
    {
        this.subscriptions = subscriptions;
        this.maxFrameLength = maxFrameLength;
        this.clock = clock;
        this.intake = new NodeAdminIntake(requests, connectAdmission);
    }

    public String roleName()
    {
        return "ringmq-standby-ingress";
    }

    public int doWork()
    {
        nowNs = clock.nanoTime();
        int work = 0;
        for (final Subscription subscription : subscriptions)
        {
            work += subscription.poll(assembler, FRAGMENT_LIMIT);
        }
        return work;
    }

    /** Frames that were neither a NodeAdmin nor a Connect (they name sessions a standby has none of), or malformed. */
    public long droppedFrames()
    {
        return droppedFrames;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final ErrorCode invalid = length > maxFrameLength ? ErrorCode.MESSAGE_TOO_LARGE :
            FrameValidator.validate(buffer, offset, length);
        final int templateId = null == invalid ? FrameValidator.templateId(buffer, offset) : -1;
        if (NodeAdminDecoder.TEMPLATE_ID == templateId)
        {
            intake.nodeAdmin(buffer, offset, header, nowNs);
        }
        else if (ConnectDecoder.TEMPLATE_ID == templateId)
        {
            intake.connectToStandby(buffer, offset, header, nowNs);
        }
        else
        {
            final long dropped = ++droppedFrames; // single writer: this agent
            if (Long.bitCount(dropped) == 1)
            {
                LOG.warn("standby: dropped a {}-byte frame from Aeron session {} ({}): this node takes no " +
                    "sessions ({} dropped so far)", length, header.sessionId(),
                    null == invalid ? "template " + templateId : invalid, dropped);
            }
        }
    }
}
