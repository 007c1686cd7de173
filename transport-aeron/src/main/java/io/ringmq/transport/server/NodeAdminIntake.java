package io.ringmq.transport.server;

import io.aeron.Image;
import io.aeron.logbuffer.Header;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ConnectDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.NodeAdminAction;
import io.ringmq.codecs.NodeAdminDecoder;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the frames an ingress answers off the ring (a NodeAdmin on any node; a Connect on a standby): decodes them,
 * checks their response channel as a Connect's is checked ({@link ConnectAdmission}: a destination the daemon may
 * publish to, at the Connect rate) and hands them to {@link NodeRequests}. Not thread-safe: the ingress agent's.
 */
final class NodeAdminIntake
{
    private static final Logger LOG = LoggerFactory.getLogger(NodeAdminIntake.class);

    private final NodeRequests requests;
    private final ConnectAdmission admission;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final NodeAdminDecoder nodeAdminDecoder = new NodeAdminDecoder();
    private final ConnectDecoder connectDecoder = new ConnectDecoder();
    private long refused;

    NodeAdminIntake(final NodeRequests requests, final ConnectAdmission admission)
    {
        this.requests = requests;
        this.admission = admission;
    }

    /** Hands over a NodeAdmin frame the validator passed. */
    void nodeAdmin(final DirectBuffer buffer, final int offset, final Header header, final long nowNs)
    {
        nodeAdminDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = nodeAdminDecoder.correlationId();
        final int responseStreamId = nodeAdminDecoder.responseStreamId();
        final NodeAdminAction action = nodeAdminDecoder.action();
        final boolean force = BooleanType.TRUE == nodeAdminDecoder.force();
        final String answerChannel = answerChannel(nodeAdminDecoder.responseChannel(), header, nowNs);
        if (null == answerChannel || NodeAdminAction.NULL_VAL == action ||
            !requests.onNodeAdmin(correlationId, action, force, answerChannel, responseStreamId))
        {
            onRefused("a NodeAdmin", header);
        }
    }

    /** Hands over a Connect to a standby, to be refused with NOT_PRIMARY. */
    void connectToStandby(final DirectBuffer buffer, final int offset, final Header header, final long nowNs)
    {
        connectDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = connectDecoder.correlationId();
        final int responseStreamId = connectDecoder.responseStreamId();
        final String answerChannel = answerChannel(connectDecoder.responseChannel(), header, nowNs);
        if (null == answerChannel || !requests.onConnectToStandby(correlationId, answerChannel, responseStreamId))
        {
            onRefused("a Connect to this standby", header);
        }
    }

    /** Requests not answered: a channel the daemon may not publish to, past the rate, or too many waiting. */
    long refused()
    {
        return refused;
    }

    private String answerChannel(final String responseChannel, final Header header, final long nowNs)
    {
        final String sender = header.context() instanceof Image image ? image.sourceIdentity() : null;
        return null == admission.admit(responseChannel, sender, nowNs) ?
            ResponseChannels.answerChannel(responseChannel) : null;
    }

    private void onRefused(final String what, final Header header)
    {
        if (Long.bitCount(++refused) == 1)
        {
            LOG.warn("did not answer {} from Aeron session {}: its response channel may not be answered on, too " +
                "many came at once, or its action is unknown ({} so far)", what, header.sessionId(), refused);
        }
    }
}
