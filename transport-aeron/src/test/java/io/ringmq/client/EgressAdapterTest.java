package io.ringmq.client;

import io.ringmq.core.protocol.Priority;
import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.DeliverEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.QueueListedEncoder;
import io.ringmq.codecs.ReceiptEncoder;
import io.ringmq.core.protocol.EgressFraming;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One message from the daemon carries several frames, each after its length; the client reads them all in order. */
class EgressAdapterTest
{
    private final List<String> seen = new ArrayList<>();
    private final EgressAdapter adapter = new EgressAdapter(new EgressAdapter.Listener()
    {
        public void onConnected(final long correlationId, final long sessionId, final int maxMessageLength,
            final int maxPayloadLength, final int maxHeaderLength, final long issuedProducerId)
        {
            seen.add("connected " + correlationId);
        }

        public void onReceipt(final long correlationId, final long sequence, final long epoch)
        {
            seen.add("receipt " + correlationId + "/" + sequence + (1 == epoch ? "" : " epoch " + epoch));
        }

        public void onSubscribed(final long correlationId, final long consumerId)
        {
            seen.add("subscribed " + correlationId);
        }

        public void onDeliver(final DeliveredFrame frame)
        {
            seen.add("deliver " + frame.sequence + " " +
                frame.buffer.getStringWithoutLengthUtf8(frame.payloadOffset, frame.payloadLength) + " producer=" +
                frame.producerId + "/" + frame.producerSequence + " " + frame.deadLetterReason + " from " +
                frame.sourceQueue + "/" + frame.sourceGroup + " headers=" + frame.headersLength + " id=" +
                frame.buffer.getStringWithoutLengthUtf8(frame.messageIdOffset, frame.messageIdLength));
        }

        public void onError(final long correlationId, final ErrorCode code, final String message)
        {
            seen.add("error " + correlationId);
        }

        public void onReplied(final long requestId, final org.agrona.DirectBuffer buffer, final int payloadOffset,
            final int payloadLength, final int headersOffset, final int headersLength)
        {
            seen.add("replied " + requestId + " " + buffer.getStringWithoutLengthUtf8(payloadOffset, payloadLength));
        }

        public void onBrowsed(final long correlationId, final BrowsedMessage message)
        {
            seen.add("browsed " + correlationId);
        }

        public void onAdminDone(final long correlationId, final long count)
        {
            seen.add("done " + correlationId);
        }

        public void onQueueListed(final long correlationId, final QueueListing queue)
        {
            seen.add("queue " + correlationId + " " + queue);
        }

        public void onGroupListed(final long correlationId, final GroupListing group)
        {
            seen.add("group " + correlationId + " " + group);
        }

        public void onQueueStats(final long correlationId, final QueueStats stats)
        {
            seen.add("stats " + correlationId);
        }
    });
    private final ExpandableArrayBuffer message = new ExpandableArrayBuffer();
    private int length;

    private void receipt(final long correlationId, final long sequence)
    {
        receipt(correlationId, sequence, 1);
    }

    private void receipt(final long correlationId, final long sequence, final long epoch)
    {
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + new ReceiptEncoder()
            .wrapAndApplyHeader(message, length + EgressFraming.LENGTH_PREFIX, new MessageHeaderEncoder())
            .correlationId(correlationId).sequence(sequence).epoch(epoch).encodedLength();
        EgressFraming.putFrameLength(message, length, frameLength);
        length += EgressFraming.LENGTH_PREFIX + frameLength;
    }

    /** A Receipt as a daemon before schema version 10 wrote it: correlation id and sequence, no epoch. */
    private void receiptOfVersion9(final long correlationId, final long sequence)
    {
        final int body = length + EgressFraming.LENGTH_PREFIX + MessageHeaderEncoder.ENCODED_LENGTH;
        final int v9Block = ReceiptEncoder.epochEncodingOffset();
        new MessageHeaderEncoder().wrap(message, length + EgressFraming.LENGTH_PREFIX)
            .blockLength(v9Block).templateId(ReceiptEncoder.TEMPLATE_ID).schemaId(MessageHeaderEncoder.SCHEMA_ID)
            .version(9);
        message.putLong(body, correlationId, java.nio.ByteOrder.LITTLE_ENDIAN);
        message.putLong(body + 8, sequence, java.nio.ByteOrder.LITTLE_ENDIAN);
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + v9Block;
        EgressFraming.putFrameLength(message, length, frameLength);
        length += EgressFraming.LENGTH_PREFIX + frameLength;
    }

    @Test
    void aReceiptNamesItsEpochAndOneFromADaemonBeforeVersion10NamesNone()
    {
        receipt(1, 10, 3);
        receiptOfVersion9(2, 11);
        receipt(3, 12, 4);

        adapter.onFragment(message, 0, length, null);

        assertEquals(List.of("receipt 1/10 epoch 3", "receipt 2/11 epoch 0", "receipt 3/12 epoch 4"), seen);
    }

    /** A frame of a template this client does not know, with a body it cannot guess the length of. */
    private void unknownFrame()
    {
        new MessageHeaderEncoder()
            .wrap(message, length + EgressFraming.LENGTH_PREFIX)
            .blockLength(3).templateId(63).schemaId(MessageHeaderEncoder.SCHEMA_ID).version(99);
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + 3 + 20; // a 3-byte block and 20 bytes of data
        EgressFraming.putFrameLength(message, length, frameLength);
        length += EgressFraming.LENGTH_PREFIX + frameLength;
    }

    @Test
    void everyFrameOfAMessageIsHandedOnInOrderAndUnknownOnesAreSteppedOver()
    {
        receipt(1, 10);
        unknownFrame();
        receipt(2, 11);
        receipt(3, 12);

        adapter.onFragment(message, 0, length, null);

        assertEquals(List.of("receipt 1/10", "receipt 2/11", "receipt 3/12"), seen);
    }

    private void deliver(final int version, final String sourceQueue)
    {
        final DeliverEncoder encoder = new DeliverEncoder()
            .wrapAndApplyHeader(message, length + EgressFraming.LENGTH_PREFIX, new MessageHeaderEncoder())
            .consumerId(1).sequence(7).attempt(1).publishTimestampNs(5).producerId(9).producerSequence(4).requestId(0).priority(Priority.DEFAULT)
            .deadLetterReason(DeadLetterReason.REJECTED).deadLetterAttempts(2)
            .putPayload("hello".getBytes(), 0, 5).sourceQueue(sourceQueue).sourceGroup("g")
            .putHeaders(new byte[3], 0, 3).messageId("m-1");
        int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        if (6 == version)
        {
            // As a version 6 daemon wrote it: its block and the payload, nothing after.
            new MessageHeaderEncoder().wrap(message, length + EgressFraming.LENGTH_PREFIX)
                .blockLength(DeliverEncoder.producerIdEncodingOffset()).version(6);
            final int v6Block = DeliverEncoder.producerIdEncodingOffset();
            final int payloadAt = length + EgressFraming.LENGTH_PREFIX + MessageHeaderEncoder.ENCODED_LENGTH;
            message.putInt(payloadAt + v6Block, 5, java.nio.ByteOrder.LITTLE_ENDIAN);
            message.putStringWithoutLengthAscii(payloadAt + v6Block + 4, "hello");
            frameLength = MessageHeaderEncoder.ENCODED_LENGTH + v6Block + 4 + 5;
        }
        EgressFraming.putFrameLength(message, length, frameLength);
        length += EgressFraming.LENGTH_PREFIX + frameLength;
    }

    @Test
    void aDeliverCarriesTheMessagesProducerDeadLetterSourceHeadersAndIdAndOneFromAnOlderDaemonNone()
    {
        deliver(7, "q");
        deliver(6, "q");

        adapter.onFragment(message, 0, length, null);

        assertEquals(List.of("deliver 7 hello producer=9/4 REJECTED from q/g headers=3 id=m-1",
            "deliver 7 hello producer=0/0 NONE from null/null headers=0 id="), seen);
    }

    /** A queue listing that keeps 3 messages of 6 bytes and delays by 250 ms, as a daemon of {@code version} writes it. */
    private void queueListed(final int version)
    {
        final QueueListedEncoder encoder = new QueueListedEncoder()
            .wrapAndApplyHeader(message, length + EgressFraming.LENGTH_PREFIX, new MessageHeaderEncoder())
            .correlationId(4).depth(5).inFlight(1).groups(1).consumers(1).dlqDepth(-1);
        encoder.settings().visibilityTimeoutMs(30_000).maxAttempts(5).backoff(BackoffKind.NONE)
            .strategy(DispatchStrategy.ROUND_ROBIN).initialDelayMs(0).maxDelayMs(0);
        encoder.retention().retainMs(60_000).retainBytes(0);
        encoder.retained(3).retainedBytes(6).delayMs(250).queue("orders");
        int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        if (8 == version)
        {
            // As a version 8 daemon wrote it: its block ends before the retention fields, the name right after.
            final int v8Block = QueueListedEncoder.retentionEncodingOffset();
            new MessageHeaderEncoder().wrap(message, length + EgressFraming.LENGTH_PREFIX)
                .blockLength(v8Block).version(8);
            final int nameAt = length + EgressFraming.LENGTH_PREFIX + MessageHeaderEncoder.ENCODED_LENGTH + v8Block;
            message.putInt(nameAt, 6, java.nio.ByteOrder.LITTLE_ENDIAN);
            message.putStringWithoutLengthAscii(nameAt + 4, "orders");
            frameLength = MessageHeaderEncoder.ENCODED_LENGTH + v8Block + 4 + 6;
        }
        EgressFraming.putFrameLength(message, length, frameLength);
        length += EgressFraming.LENGTH_PREFIX + frameLength;
    }

    @Test
    void aQueueListingCarriesWhatTheQueueKeepsAndOneFromAnOlderDaemonNothing()
    {
        queueListed(9);
        queueListed(8);

        adapter.onFragment(message, 0, length, null);

        final String settings = "visibilityTimeoutMs=30000, maxAttempts=5, backoff=NONE, strategy=ROUND_ROBIN";
        assertEquals(List.of(
            "queue 4 QueueListing[name=orders, depth=5, inFlight=1, groups=1, consumers=1, dlqDepth=-1, " + settings +
                ", retained=3, retainedBytes=6, delayMs=250]",
            "queue 4 QueueListing[name=orders, depth=5, inFlight=1, groups=1, consumers=1, dlqDepth=-1, " + settings +
                ", retained=0, retainedBytes=0, delayMs=0]"), seen);
    }

    @Test
    void aLengthThatRunsPastTheMessageStopsReadingIt()
    {
        receipt(1, 10);
        final int secondAt = length;
        receipt(2, 11);
        EgressFraming.putFrameLength(message, secondAt, 1_000);

        adapter.onFragment(message, 0, length, null);

        assertEquals(List.of("receipt 1/10"), seen);
    }
}
