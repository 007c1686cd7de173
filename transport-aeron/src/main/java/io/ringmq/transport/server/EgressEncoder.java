package io.ringmq.transport.server;

import io.ringmq.codecs.AdminDoneEncoder;
import io.ringmq.codecs.BrowsedEncoder;
import io.ringmq.codecs.ConnectedEncoder;
import io.ringmq.codecs.DeliverEncoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ErrorEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.NodeRole;
import io.ringmq.codecs.NodeStatusEncoder;
import io.ringmq.transport.NodeStatus;
import io.ringmq.core.state.MessageView;
import io.ringmq.codecs.QueueStatsEncoder;
import io.ringmq.codecs.QueueListedEncoder;
import io.ringmq.codecs.GroupListedEncoder;
import io.ringmq.core.state.QueueFigures;
import io.ringmq.codecs.ReceiptEncoder;
import io.ringmq.codecs.RepliedEncoder;
import io.ringmq.codecs.SubscribedEncoder;
import io.ringmq.codecs.AttachedEncoder;
import io.ringmq.core.protocol.EgressFraming;
import io.ringmq.core.state.QueueCounters;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Encodes egress frames, each with its {@link EgressFraming} length prefix, into one reused buffer: every method
 * leaves the frame at offset 0 of {@link #buffer()} and returns its length with the prefix, ready to be gathered or
 * queued as it is. One flyweight per message type, reused, so encoding allocates nothing.
 * <p>
 * Not thread-safe: owned by the dispatch thread. A frame is valid until the next one is encoded.
 */
final class EgressEncoder
{
    /** Frames are encoded after room for their length prefix. */
    private static final int FRAME = EgressFraming.LENGTH_PREFIX;

    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ConnectedEncoder connectedEncoder = new ConnectedEncoder();
    private final ReceiptEncoder receiptEncoder = new ReceiptEncoder();
    private final SubscribedEncoder subscribedEncoder = new SubscribedEncoder();
    private final AttachedEncoder attachedEncoder = new AttachedEncoder();
    private final DeliverEncoder deliverEncoder = new DeliverEncoder();
    private final RepliedEncoder repliedEncoder = new RepliedEncoder();
    private final ErrorEncoder errorEncoder = new ErrorEncoder();
    private final BrowsedEncoder browsedEncoder = new BrowsedEncoder();
    private final AdminDoneEncoder adminDoneEncoder = new AdminDoneEncoder();
    private final QueueStatsEncoder queueStatsEncoder = new QueueStatsEncoder();
    private final QueueListedEncoder queueListedEncoder = new QueueListedEncoder();
    private final GroupListedEncoder groupListedEncoder = new GroupListedEncoder();
    private final NodeStatusEncoder nodeStatusEncoder = new NodeStatusEncoder();

    /** The last frame encoded, at offset 0. */
    DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @param producerId the producer id the daemon issues the session, for a client that chooses none.
     */
    int connected(
        final long correlationId,
        final long sessionId,
        final int maxMessageLength,
        final int maxPayloadLength,
        final int maxHeaderLength,
        final long producerId)
    {
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + connectedEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .sessionId(sessionId)
            .maxMessageLength(maxMessageLength)
            .maxPayloadLength(maxPayloadLength)
            .maxHeaderLength(maxHeaderLength)
            .producerId(producerId)
            .encodedLength());
    }

    /** @param epoch the pair's epoch the receipting primary serves in (the client checks epochs never overlap). */
    int receipt(final long correlationId, final long sequence, final long epoch)
    {
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + receiptEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .sequence(sequence)
            .epoch(epoch)
            .encodedLength());
    }

    int subscribed(final long correlationId, final long consumerId)
    {
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + subscribedEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .consumerId(consumerId)
            .encodedLength());
    }

    /** A pattern subscription's consumer on one queue (schema version 10). Queue names are ASCII, as the rules say. */
    int attached(final long correlationId, final long subscriptionId, final long consumerId, final String queue)
    {
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + attachedEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .subscriptionId(subscriptionId)
            .consumerId(consumerId)
            .queue(queue)
            .encodedLength());
    }

    /** One delivery: a dead letter also says why and where it came from (empty names for other messages). */
    int deliver(final long consumerId, final int attempt, final MessageView message)
    {
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + deliverEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .consumerId(consumerId)
            .sequence(message.sequence())
            .attempt(attempt)
            .publishTimestampNs(message.publishTimestampNs())
            .producerId(message.producerId())
            .producerSequence(message.producerSequence())
            .deadLetterReason(message.deadLetterReason())
            .deadLetterAttempts(message.deadLetterAttempts())
            .requestId(message.requestId())
            .priority((short)message.priority())
            .putPayload(message.payload(), 0, message.payloadLength())
            .sourceQueue(message.sourceQueue())
            .sourceGroup(message.sourceGroup())
            .putHeaders(message.headers(), 0, message.headersLength())
            .putMessageId(message.messageId(), 0, message.messageIdLength())
            .encodedLength());
    }

    int replied(
        final long requestId,
        final DirectBuffer payload,
        final int payloadLength,
        final DirectBuffer headers,
        final int headersLength)
    {
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + repliedEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .requestId(requestId)
            .putPayload(payload, 0, payloadLength)
            .putHeaders(headers, 0, headersLength)
            .encodedLength());
    }

    int error(final long correlationId, final ErrorCode code, final String message)
    {
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + errorEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .message(message)
            .encodedLength());
    }

    int nodeStatus(final long correlationId, final NodeStatus status)
    {
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + nodeStatusEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .role(status.isPrimary() ? NodeRole.PRIMARY : NodeRole.STANDBY)
            .inSync(status.inSync() ? BooleanType.TRUE : BooleanType.FALSE)
            .epoch(status.epoch())
            .logSequence(status.logSequence())
            .digest(status.digest())
            .lagCommands(status.lagCommands())
            .lagMicros(status.lagMicros())
            .peerAlive(status.peerAlive() ? BooleanType.TRUE : BooleanType.FALSE)
            .witnessReachable(status.witnessReachable() ? BooleanType.TRUE : BooleanType.FALSE)
            .primaryEndpoint(status.primaryEndpoint())
            .encodedLength());
    }

    int browsed(final long correlationId, final MessageView message)
    {
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + browsedEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .sequence(message.sequence())
            .publishTimestampNs(message.publishTimestampNs())
            .deadLetterReason(message.deadLetterReason())
            .deadLetterAttempts(message.deadLetterAttempts())
            .producerId(message.producerId())
            .producerSequence(message.producerSequence())
            .priority((short)message.priority())
            .sourceQueue(message.sourceQueue())
            .sourceGroup(message.sourceGroup())
            .putPayload(message.payload(), 0, message.payloadLength())
            .putHeaders(message.headers(), 0, message.headersLength())
            .putMessageId(message.messageId(), 0, message.messageIdLength())
            .encodedLength());
    }

    int adminDone(final long correlationId, final long count)
    {
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + adminDoneEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .count(count)
            .encodedLength());
    }

    int queueStats(
        final long correlationId,
        final QueueCounters counters,
        final long inFlight,
        final int groups,
        final int consumers)
    {
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + queueStatsEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .messages(counters.messages())
            .bytes(counters.bytes())
            .inFlight(inFlight)
            .groups(groups)
            .consumers(consumers)
            .expired(counters.expired())
            .overflowed(counters.overflowed())
            .dropped(counters.dropped())
            .refused(counters.refused())
            .encodedLength());
    }

    int queueListed(final long correlationId, final QueueFigures queue, final long dlqDepth)
    {
        queueListedEncoder.wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .depth(queue.depth())
            .inFlight(queue.inFlight())
            .groups(queue.groupCount())
            .consumers(queue.consumers())
            .dlqDepth(dlqDepth)
            .retained(queue.retained())
            .retainedBytes(queue.retainedBytes())
            .delayMs(queue.defaultDelayMs());
        queueListedEncoder.retention().retainMs(queue.retainMs()).retainBytes(queue.retainBytes());
        queue.policy().writeTo(queueListedEncoder.settings());
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + queueListedEncoder.queue(queue.name()).encodedLength());
    }

    int groupListed(final long correlationId, final QueueFigures queue, final int groupIndex)
    {
        return framed(MessageHeaderEncoder.ENCODED_LENGTH + groupListedEncoder
            .wrapAndApplyHeader(buffer, FRAME, headerEncoder)
            .correlationId(correlationId)
            .lag(queue.groupLag(groupIndex))
            .consumers(queue.groupConsumers(groupIndex))
            .inFlight(queue.groupInFlight(groupIndex))
            .strategy(queue.groupStrategy(groupIndex))
            .filtered(queue.groupFiltered(groupIndex))
            .group(queue.groupName(groupIndex))
            .deadLetterQueue(queue.groupDeadLetterQueue(groupIndex))
            .filter(queue.groupFilter(groupIndex))
            .encodedLength());
    }

    private int framed(final int frameLength)
    {
        EgressFraming.putFrameLength(buffer, 0, frameLength);
        return FRAME + frameLength;
    }
}
