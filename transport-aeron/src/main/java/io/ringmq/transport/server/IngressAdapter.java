package io.ringmq.transport.server;

import io.aeron.ChannelUri;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.ringmq.codecs.ConnectDecoder;
import io.ringmq.codecs.ConnectRefusedEncoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.FrameRejectedEncoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NodeAdminDecoder;
import io.ringmq.codecs.PublishDecoder;
import io.ringmq.codecs.ReplyDecoder;
import io.ringmq.codecs.TransportClosedEncoder;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.protocol.HeadersLayout;
import io.ringmq.core.protocol.PayloadLimit;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's ingress over Aeron: polls the ingress subscriptions, reassembles fragmented frames per Aeron session,
 * refuses frames that are not whole client commands, publishes whose payload is too large for a frame the message
 * would travel in later ({@link PayloadLimit}), publishes while the journal's disk is full, and Connects it may not
 * take ({@link ConnectAdmission}: a response channel the daemon may not publish to, or too many Connects), and writes
 * every command it takes to its {@link CommandSink}. When the sink has no room it leaves the fragment in Aeron's log
 * ({@code ABORT}) so back-pressure reaches the clients instead of anything being dropped.
 * <p>
 * Like aeron-cluster's {@code IngressAdapter}, it is polled by the agent that owns the sink (the daemon's ring
 * producer), with the time of that agent's duty cycle. Not thread-safe: owned by that agent's thread, except
 * {@link #onUnavailableImage} and the counters.
 */
public final class IngressAdapter implements ControlledFragmentHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(IngressAdapter.class);
    private static final int FRAGMENT_LIMIT = 64;
    /** Transport session stamped on commands the daemon makes itself. */
    public static final int INTERNAL = 0;

    private final Subscription[] subscriptions;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this);
    private final CommandSink sink;
    private final int maxFrameLength;
    private final int maxPayloadLength;
    private final int maxHeaderLength;
    private final UnsafeBuffer headersView = new UnsafeBuffer(0, 0);
    private final ReplyDecoder replyDecoder = new ReplyDecoder();
    private final ConnectAdmission connectAdmission;
    private final NodeAdminIntake nodeAdmin;
    private final ManyToOneConcurrentArrayQueue<Integer> closedTransports = new ManyToOneConcurrentArrayQueue<>(4096);
    private final TransportClosedEncoder transportClosedEncoder = new TransportClosedEncoder();
    /**
     * Aeron sessions that have put a command on the ring in this run: only their going away is journaled. A transport
     * that sent nothing to the ring (a status or promote client, whose NodeAdmin requests are answered off the ring)
     * has no session in the state machine, so its TransportClosed would close nothing and only move the log sequence.
     */
    private final IntHashSet journaledTransports = new IntHashSet();
    /** The one last added to journaledTransports (a long: any int is a possible Aeron session id); none yet: MIN. */
    private long lastJournaledTransport = Long.MIN_VALUE;
    /** ConnectRefused: a channel up to Aeron's longest URI and a line of reason. */
    private final UnsafeBuffer internalFrame = new UnsafeBuffer(new byte[ChannelUri.MAX_URI_LENGTH + 1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final FrameRejectedEncoder frameRejectedEncoder = new FrameRejectedEncoder();
    private final ConnectRefusedEncoder connectRefusedEncoder = new ConnectRefusedEncoder();
    private final ConnectDecoder connectDecoder = new ConnectDecoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PublishDecoder publishDecoder = new PublishDecoder();
    private final AtomicLong rejectedFrames = new AtomicLong();
    private long nowNs;

    /**
     * @param maxFrameLength the largest frame taken ({@code ringmq.max.message.bytes}).
     */
    public IngressAdapter(
        final Subscription[] subscriptions,
        final CommandSink sink,
        final int maxFrameLength,
        final int maxHeaderLength,
        final ConnectAdmission connectAdmission)
    {
        this(subscriptions, sink, maxFrameLength, maxHeaderLength, connectAdmission, NodeRequests.NONE);
    }

    /**
     * @param maxFrameLength the largest frame taken ({@code ringmq.max.message.bytes}).
     * @param nodeRequests   where NodeAdmin requests go: answered off the ring, never journaled.
     */
    public IngressAdapter(
        final Subscription[] subscriptions,
        final CommandSink sink,
        final int maxFrameLength,
        final int maxHeaderLength,
        final ConnectAdmission connectAdmission,
        final NodeRequests nodeRequests)
    {
        this.nodeAdmin = new NodeAdminIntake(nodeRequests, connectAdmission);
        this.subscriptions = subscriptions;
        this.sink = sink;
        this.maxFrameLength = maxFrameLength;
        this.maxHeaderLength = maxHeaderLength;
        this.maxPayloadLength = PayloadLimit.maxPayloadLength(maxFrameLength, maxHeaderLength);
        this.connectAdmission = connectAdmission;
    }

    /**
     * Journals the TransportClosed of each Aeron session gone since the last poll that had put a command on the ring,
     * then polls every subscription.
     *
     * @param nowNs the duty cycle's time on the daemon's clock (the Connect rate is counted on it).
     * @return the work done: commands written and fragments polled.
     */
    public int poll(final long nowNs)
    {
        this.nowNs = nowNs;
        int workCount = publishClosedTransports();
        for (final Subscription subscription : subscriptions)
        {
            workCount += subscription.controlledPoll(assembler, FRAGMENT_LIMIT);
        }
        return workCount;
    }

    /**
     * Thread-safe (called on the Aeron client conductor): a client's ingress image went away, so the client has
     * gone; journal a TransportClosed so its sessions close and their in-flight messages return (none for a client
     * that put nothing on the ring, such as a status request's: it has no session to close).
     */
    public void onUnavailableImage(final Image image)
    {
        transportClosed(image.sessionId());
    }

    /**
     * Thread-safe: the Aeron session {@code transportSessionId} has gone. Its TransportClosed is journaled, and the
     * frame it left half assembled freed, on the agent's thread (the assembler is the agent's alone).
     */
    void transportClosed(final int transportSessionId)
    {
        if (!closedTransports.offer(transportSessionId))
        {
            LOG.warn("closed-transport queue full; sessions of Aeron session {} close on the next restart",
                transportSessionId);
        }
    }

    /** What the subscriptions are polled with: fragments reassembled per Aeron session into {@link #onFragment}. */
    ControlledFragmentHandler fragmentHandler()
    {
        return assembler;
    }

    /** Frames refused as malformed, oversized or not a client command, and Connects refused. */
    public long rejectedFrames()
    {
        return rejectedFrames.get();
    }

    /** Connects refused here (a response channel the daemon may not take, too many Connects), answered or not. */
    public long refusedConnects()
    {
        return connectAdmission.refused();
    }

    /** Connects refused here and answered nothing: their channel may not be published to, or past the answer rate. */
    public long unansweredConnects()
    {
        return connectAdmission.unanswered();
    }

    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final ErrorCode error = refusal(buffer, offset, length);
        if (null != error)
        {
            reject(error, buffer, offset, length, header);
            return Action.CONTINUE;
        }
        if (NodeAdminDecoder.TEMPLATE_ID == FrameValidator.templateId(buffer, offset))
        {
            nodeAdmin.nodeAdmin(buffer, offset, header, nowNs); // about the node, not its state: never journaled
            return Action.CONTINUE;
        }
        if (ConnectDecoder.TEMPLATE_ID == FrameValidator.templateId(buffer, offset))
        {
            if (!sink.hasCapacity())
            {
                return Action.ABORT; // before admitting it: taken again next duty cycle, it must not count twice
            }
            if (!admitConnect(buffer, offset, header))
            {
                return Action.CONTINUE;
            }
        }

        // No room: leave it in Aeron's log and come back next duty cycle.
        return offer(header.sessionId(), buffer, offset, length) ? Action.CONTINUE : Action.ABORT;
    }

    /** Why the frame may not be journaled, or null if it may. */
    private ErrorCode refusal(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > maxFrameLength)
        {
            return ErrorCode.MESSAGE_TOO_LARGE;
        }
        final ErrorCode invalid = FrameValidator.validate(buffer, offset, length);
        if (null != invalid)
        {
            return invalid;
        }
        final int templateId = FrameValidator.templateId(buffer, offset);
        if (!FrameValidator.isClientCommand(templateId) && NodeAdminDecoder.TEMPLATE_ID != templateId)
        {
            return ErrorCode.UNKNOWN_TEMPLATE;
        }
        if (PublishDecoder.TEMPLATE_ID == templateId)
        {
            publishDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder).skipQueue();
            final int payloadLength = publishDecoder.payloadLength();
            publishDecoder.skipPayload();
            publishDecoder.wrapHeaders(headersView);
            final ErrorCode refused = messageRefusal(payloadLength, headersView);
            if (null != refused)
            {
                return refused;
            }
            return sink.publishesRefused() ? ErrorCode.STORAGE_FULL : null;
        }
        if (ReplyDecoder.TEMPLATE_ID == templateId) // a reply may become a message on a reply queue
        {
            replyDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            final int payloadLength = replyDecoder.payloadLength();
            replyDecoder.skipPayload();
            replyDecoder.wrapHeaders(headersView);
            return messageRefusal(payloadLength, headersView);
        }
        return null;
    }

    /**
     * Whether a Connect may be journaled; if not, it is counted and logged, and, when its channel may be answered on,
     * journaled as a ConnectRefused (the sink has room: the caller checked) for the egress to answer.
     */
    private boolean admitConnect(final DirectBuffer buffer, final int offset, final Header header)
    {
        connectDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = connectDecoder.correlationId();
        final int responseStreamId = connectDecoder.responseStreamId();
        final String responseChannel = connectDecoder.responseChannel();
        final String sender = header.context() instanceof Image image ? image.sourceIdentity() : null;
        final ResponseChannels.Refusal refusal = connectAdmission.admit(responseChannel, sender, nowNs);
        if (null == refusal)
        {
            return true;
        }
        final long count = rejectedFrames.incrementAndGet();
        if (Long.bitCount(count) == 1)
        {
            LOG.warn("refused a Connect from Aeron session {} ({}) naming response channel {}: {} ({}; {} refused so " +
                "far)", header.sessionId(), sender, responseChannel, refusal.reason(),
                refusal.answered() ? refusal.code() : "not answered", count);
        }
        if (refusal.answered())
        {
            offer(header.sessionId(), internalFrame, 0, MessageHeaderEncoder.ENCODED_LENGTH + connectRefusedEncoder
                .wrapAndApplyHeader(internalFrame, 0, headerEncoder)
                .correlationId(correlationId)
                .responseStreamId(responseStreamId)
                .code(refusal.code())
                .responseChannel(responseChannel)
                .reason(refusal.reason())
                .encodedLength());
        }
        return false;
    }

    /** Payload length of a Publish the validator has passed. */
    /**
     * The bounds a message (a publish, or a reply that may land on a reply queue) must keep. The frame fits, but a
     * Deliver or a dead letter's Browsed of the same payload might not: refused now rather than receipted and then
     * closing every session it is sent to ({@link PayloadLimit}). Headers must fit ringmq.max.header.bytes and be well
     * formed ({@link HeadersLayout}): the state machine and every client trust what was journaled.
     */
    private ErrorCode messageRefusal(final int payloadLength, final DirectBuffer headers)
    {
        if (payloadLength > maxPayloadLength)
        {
            return ErrorCode.MESSAGE_TOO_LARGE;
        }
        if (headers.capacity() > maxHeaderLength || null != HeadersLayout.problem(headers, 0, headers.capacity()))
        {
            return ErrorCode.HEADERS_TOO_LARGE;
        }
        return null;
    }

    /** Puts a command stamped with the Aeron session it came from on the ring, noting that session as journaled. */
    private boolean offer(final int transportSessionId, final DirectBuffer frame, final int offset, final int length)
    {
        if (!sink.offer(transportSessionId, frame, offset, length))
        {
            return false;
        }
        if (transportSessionId != lastJournaledTransport) // a run of frames from one client: one look-up
        {
            lastJournaledTransport = transportSessionId;
            journaledTransports.add(transportSessionId);
        }
        return true;
    }

    private int publishClosedTransports()
    {
        int count = 0;
        Integer transportSessionId;
        while (sink.hasCapacity() && null != (transportSessionId = closedTransports.poll()))
        {
            // No more fragments come from a closed image: a frame it left half assembled never completes, and its
            // session's buffer would be kept for good (aeron-cluster's IngressAdapter frees it the same way).
            assembler.freeSessionBuffer(transportSessionId);
            if (!journaledTransports.remove(transportSessionId))
            {
                continue; // it put nothing on the ring: nothing there to close (see journaledTransports)
            }
            if (lastJournaledTransport == transportSessionId)
            {
                lastJournaledTransport = Long.MIN_VALUE;
            }
            sink.offer(INTERNAL, internalFrame, 0, MessageHeaderEncoder.ENCODED_LENGTH + transportClosedEncoder
                .wrapAndApplyHeader(internalFrame, 0, headerEncoder)
                .transportSessionId(transportSessionId)
                .encodedLength());
            count++;
        }
        return count;
    }

    /**
     * Counts and logs a refused frame and, when it still names a session, journals a FrameRejected stamped with the
     * sender's Aeron session, so the state machine can tell that session why (if it is the sender's). A frame too
     * large carries the limit it passed: for a Publish the payload's (a Publish over the frame limit is over that
     * too), else the frame's. When the sink has no room the refusal is only counted: the ingress never waits on the
     * client's mistakes.
     */
    private void reject(
        final ErrorCode error, final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long count = rejectedFrames.incrementAndGet();
        if (Long.bitCount(count) == 1) // 1st, 2nd, 4th, 8th...: visible without flooding the log
        {
            LOG.warn("refused a {}-byte frame from Aeron session {}: {}{} ({} refused so far)",
                length, header.sessionId(), error, ErrorCode.INVALID_ARGUMENT == error ?
                " " + FrameValidator.invalidField(buffer, offset, length) : "", count);
        }
        final long sessionId = FrameValidator.sessionIdOf(buffer, offset, length);
        if (Long.MIN_VALUE != sessionId && sink.hasCapacity())
        {
            final int templateId = FrameValidator.templateId(buffer, offset);
            final int maxLength = ErrorCode.HEADERS_TOO_LARGE == error ? maxHeaderLength :
                ErrorCode.MESSAGE_TOO_LARGE != error ? 0 :
                PublishDecoder.TEMPLATE_ID == templateId || ReplyDecoder.TEMPLATE_ID == templateId ?
                maxPayloadLength : maxFrameLength;
            final int rejectedLength = MessageHeaderEncoder.ENCODED_LENGTH + frameRejectedEncoder
                .wrapAndApplyHeader(internalFrame, 0, headerEncoder)
                .sessionId(sessionId)
                .correlationId(FrameValidator.correlationIdOf(buffer, offset, length))
                .code(error)
                .templateId(templateId)
                .maxLength(maxLength)
                .encodedLength();
            offer(header.sessionId(), internalFrame, 0, rejectedLength);
        }
    }
}
