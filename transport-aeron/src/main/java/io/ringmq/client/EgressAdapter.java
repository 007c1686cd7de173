package io.ringmq.client;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.ringmq.codecs.AdminDoneDecoder;
import io.ringmq.codecs.BrowsedDecoder;
import io.ringmq.codecs.ConnectedDecoder;
import io.ringmq.codecs.DeliverDecoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ErrorDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.QueueStatsDecoder;
import io.ringmq.codecs.QueueListedDecoder;
import io.ringmq.codecs.GroupListedDecoder;
import io.ringmq.codecs.QueueSettingsDecoder;
import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.core.protocol.Priority;
import io.ringmq.codecs.ReceiptDecoder;
import io.ringmq.codecs.RepliedDecoder;
import io.ringmq.codecs.SubscribedDecoder;
import io.ringmq.codecs.AttachedDecoder;
import io.ringmq.core.protocol.EgressFraming;
import io.ringmq.core.protocol.PayloadLimit;
import org.agrona.DirectBuffer;

/**
 * Decodes what the daemon sends this client and hands each frame to the {@link Listener}. A message holds one or more
 * frames, each after its length ({@link EgressFraming}). One decoder per frame type, reused; decoding allocates
 * nothing except for error text.
 */
final class EgressAdapter implements FragmentHandler
{
    interface Listener
    {
        /**
         * @param maxMessageLength largest frame the daemon accepts.
         * @param maxPayloadLength largest payload a publish may carry (smaller: see {@link PayloadLimit}).
         * @param maxHeaderLength  most header bytes a publish may carry (0 from a daemon before schema version 7).
         * @param issuedProducerId the producer id the daemon issued the session (0 from a daemon before version 7).
         */
        void onConnected(long correlationId, long sessionId, int maxMessageLength, int maxPayloadLength,
            int maxHeaderLength, long issuedProducerId);

        /** @param epoch the pair's epoch the primary receipted in; 0 from a daemon before schema version 10. */
        void onReceipt(long correlationId, long sequence, long epoch);

        void onSubscribed(long correlationId, long consumerId);

        /**
         * A pattern subscription has a consumer on one more queue (schema version 10): its deliveries are that
         * queue's. Allocates the queue name, once per attachment.
         */
        default void onAttached(long correlationId, long subscriptionId, long consumerId, String queue)
        {
        }

        /** One delivery; the frame is reused, valid during the call only. */
        void onDeliver(DeliveredFrame frame);

        void onError(long correlationId, ErrorCode code, String message);

        /** The reply to a request; the buffer is valid during the call only. */
        void onReplied(long requestId, DirectBuffer buffer, int payloadOffset, int payloadLength, int headersOffset,
            int headersLength);

        void onBrowsed(long correlationId, BrowsedMessage message);

        void onAdminDone(long correlationId, long count);

        void onQueueStats(long correlationId, QueueStats stats);

        void onQueueListed(long correlationId, QueueListing queue);

        void onGroupListed(long correlationId, GroupListing group);
    }

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ConnectedDecoder connectedDecoder = new ConnectedDecoder();
    private final ReceiptDecoder receiptDecoder = new ReceiptDecoder();
    private final SubscribedDecoder subscribedDecoder = new SubscribedDecoder();
    private final AttachedDecoder attachedDecoder = new AttachedDecoder();
    private final DeliverDecoder deliverDecoder = new DeliverDecoder();
    private final RepliedDecoder repliedDecoder = new RepliedDecoder();
    private final ErrorDecoder errorDecoder = new ErrorDecoder();
    private final BrowsedDecoder browsedDecoder = new BrowsedDecoder();
    private final AdminDoneDecoder adminDoneDecoder = new AdminDoneDecoder();
    private final QueueStatsDecoder queueStatsDecoder = new QueueStatsDecoder();
    private final QueueListedDecoder queueListedDecoder = new QueueListedDecoder();
    private final GroupListedDecoder groupListedDecoder = new GroupListedDecoder();
    private final DeliveredFrame deliveredFrame = new DeliveredFrame();
    private final Listener listener;

    EgressAdapter(final Listener listener)
    {
        this.listener = listener;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int end = offset + length;
        int position = offset;
        while (position + EgressFraming.LENGTH_PREFIX <= end)
        {
            final int frameLength = EgressFraming.frameLength(buffer, position);
            final int frameOffset = position + EgressFraming.LENGTH_PREFIX;
            if (frameLength < MessageHeaderDecoder.ENCODED_LENGTH || frameLength > end - frameOffset)
            {
                return; // not this protocol's framing: nothing more in this message can be trusted
            }
            onFrame(buffer, frameOffset);
            position = frameOffset + frameLength;
        }
    }

    private void onFrame(final DirectBuffer buffer, final int offset)
    {
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return;
        }
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();

        switch (headerDecoder.templateId())
        {
            case DeliverDecoder.TEMPLATE_ID -> listener.onDeliver(
                deliveredFrame.read(deliverDecoder.wrap(buffer, bodyOffset, blockLength, version), buffer));
            case ReceiptDecoder.TEMPLATE_ID ->
            {
                receiptDecoder.wrap(buffer, bodyOffset, blockLength, version);
                final long epoch = receiptDecoder.epoch();
                // A daemon before version 10 names no epoch: 0, unknown (epochs start at 1).
                listener.onReceipt(receiptDecoder.correlationId(), receiptDecoder.sequence(),
                    ReceiptDecoder.epochNullValue() == epoch ? 0 : epoch);
            }
            case SubscribedDecoder.TEMPLATE_ID ->
            {
                subscribedDecoder.wrap(buffer, bodyOffset, blockLength, version);
                listener.onSubscribed(subscribedDecoder.correlationId(), subscribedDecoder.consumerId());
            }
            case AttachedDecoder.TEMPLATE_ID ->
            {
                final AttachedDecoder attached = attachedDecoder.wrap(buffer, bodyOffset, blockLength, version);
                listener.onAttached(attached.correlationId(), attached.subscriptionId(), attached.consumerId(),
                    attached.queue());
            }
            case ConnectedDecoder.TEMPLATE_ID ->
            {
                connectedDecoder.wrap(buffer, bodyOffset, blockLength, version);
                final int maxMessageLength = connectedDecoder.maxMessageLength();
                // A daemon before schema version 6 does not say: the limit its frames imply is the same.
                final int maxPayloadLength = ConnectedDecoder.maxPayloadLengthNullValue() ==
                    connectedDecoder.maxPayloadLength() ?
                    PayloadLimit.maxPayloadLength(maxMessageLength, 0) : connectedDecoder.maxPayloadLength();
                final boolean hasMetadata = version >= ConnectedDecoder.maxHeaderLengthSinceVersion();
                listener.onConnected(connectedDecoder.correlationId(), connectedDecoder.sessionId(), maxMessageLength,
                    maxPayloadLength, hasMetadata ? connectedDecoder.maxHeaderLength() : 0,
                    hasMetadata ? connectedDecoder.producerId() : 0);
            }
            case RepliedDecoder.TEMPLATE_ID ->
            {
                repliedDecoder.wrap(buffer, bodyOffset, blockLength, version);
                final int payloadLength = repliedDecoder.payloadLength();
                final int payloadOffset = repliedDecoder.limit() + RepliedDecoder.payloadHeaderLength();
                repliedDecoder.skipPayload();
                final int headersLength = repliedDecoder.headersLength();
                final int headersOffset = repliedDecoder.limit() + RepliedDecoder.headersHeaderLength();
                listener.onReplied(repliedDecoder.requestId(), buffer, payloadOffset, payloadLength, headersOffset,
                    headersLength);
            }
            case ErrorDecoder.TEMPLATE_ID ->
            {
                errorDecoder.wrap(buffer, bodyOffset, blockLength, version);
                listener.onError(errorDecoder.correlationId(), errorDecoder.code(), errorDecoder.message());
            }
            case BrowsedDecoder.TEMPLATE_ID ->
            {
                browsedDecoder.wrap(buffer, bodyOffset, blockLength, version);
                final long correlationId = browsedDecoder.correlationId();
                final long sequence = browsedDecoder.sequence();
                final long publishTimestampNs = browsedDecoder.publishTimestampNs();
                final var reason = browsedDecoder.deadLetterReason();
                final int attempts = browsedDecoder.deadLetterAttempts();
                final String sourceQueue = browsedDecoder.sourceQueue();
                final String sourceGroup = browsedDecoder.sourceGroup();
                final boolean hasMetadata = version >= BrowsedDecoder.producerIdSinceVersion();
                final long producerId = hasMetadata ? browsedDecoder.producerId() : 0;
                final long producerSequence = hasMetadata ? browsedDecoder.producerSequence() : 0;
                final int priority = version >= BrowsedDecoder.prioritySinceVersion() ? browsedDecoder.priority() :
                    Priority.DEFAULT;
                final byte[] payload = new byte[browsedDecoder.payloadLength()];
                browsedDecoder.getPayload(payload, 0, payload.length);
                final byte[] headers = new byte[browsedDecoder.headersLength()];
                browsedDecoder.getHeaders(headers, 0, headers.length);
                final String messageId = browsedDecoder.messageId();
                listener.onBrowsed(correlationId, new BrowsedMessage(sequence, publishTimestampNs, reason, attempts,
                    sourceQueue.isEmpty() ? null : sourceQueue, sourceGroup.isEmpty() ? null : sourceGroup, payload,
                    headers, messageId, producerId, producerSequence, priority));
            }
            case QueueStatsDecoder.TEMPLATE_ID ->
            {
                final QueueStatsDecoder stats = queueStatsDecoder.wrap(buffer, bodyOffset, blockLength, version);
                listener.onQueueStats(stats.correlationId(), new QueueStats(stats.messages(), stats.bytes(),
                    stats.inFlight(), stats.groups(), stats.consumers(), stats.expired(), stats.overflowed(),
                    stats.dropped(), stats.refused()));
            }
            case QueueListedDecoder.TEMPLATE_ID ->
            {
                final QueueListedDecoder queue = queueListedDecoder.wrap(buffer, bodyOffset, blockLength, version);
                final QueueSettingsDecoder settings = queue.settings();
                final long visibilityTimeoutMs = settings.visibilityTimeoutMs();
                final int maxAttempts = settings.maxAttempts();
                final BackoffKind backoff = settings.backoff();
                final DispatchStrategy strategy = settings.strategy();
                // Fields of version 9: a daemon older than that keeps nothing after the acks and delays nothing.
                final boolean keeps = version >= QueueListedDecoder.retainedSinceVersion();
                final long retained = keeps ? queue.retained() : 0;
                final long retainedBytes = keeps ? queue.retainedBytes() : 0;
                final long delayMs = version >= QueueListedDecoder.delayMsSinceVersion() ? queue.delayMs() : 0;
                listener.onQueueListed(queue.correlationId(), new QueueListing(queue.queue(), queue.depth(),
                    queue.inFlight(), queue.groups(), queue.consumers(), queue.dlqDepth(), visibilityTimeoutMs,
                    maxAttempts, backoff, strategy, retained, retainedBytes, delayMs));
            }
            case GroupListedDecoder.TEMPLATE_ID ->
            {
                final GroupListedDecoder group = groupListedDecoder.wrap(buffer, bodyOffset, blockLength, version);
                final long correlationId = group.correlationId();
                final long lag = group.lag();
                final int consumers = group.consumers();
                final long inFlight = group.inFlight();
                final DispatchStrategy strategy = group.strategy();
                final String name = group.group();
                listener.onGroupListed(correlationId,
                    new GroupListing(name, lag, consumers, inFlight, strategy, group.deadLetterQueue(),
                    version >= GroupListedDecoder.filteredSinceVersion() ? group.filtered() : 0, group.filter()));
            }
            case AdminDoneDecoder.TEMPLATE_ID ->
            {
                adminDoneDecoder.wrap(buffer, bodyOffset, blockLength, version);
                listener.onAdminDone(adminDoneDecoder.correlationId(), adminDoneDecoder.count());
            }
            default ->
            {
                // Frames from a newer daemon that this client does not know: ignore, as the schema rules allow.
            }
        }
    }
}
