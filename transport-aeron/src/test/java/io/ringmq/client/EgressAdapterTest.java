package io.ringmq.client;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.ReceiptEncoder;
import io.ringmq.core.protocol.EgressFraming;
import org.agrona.DirectBuffer;
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
        public void onConnected(
            final long correlationId, final long sessionId, final int maxMessageLength, final int maxPayloadLength)
        {
            seen.add("connected " + correlationId);
        }

        public void onReceipt(final long correlationId, final long sequence)
        {
            seen.add("receipt " + correlationId + "/" + sequence);
        }

        public void onSubscribed(final long correlationId, final long consumerId)
        {
            seen.add("subscribed " + correlationId);
        }

        public void onDeliver(final long consumerId, final long sequence, final int attempt,
            final long publishTimestampNs, final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
        {
            seen.add("deliver " + sequence);
        }

        public void onError(final long correlationId, final ErrorCode code, final String message)
        {
            seen.add("error " + correlationId);
        }

        public void onBrowsed(final long correlationId, final BrowsedMessage message)
        {
            seen.add("browsed " + correlationId);
        }

        public void onAdminDone(final long correlationId, final long count)
        {
            seen.add("done " + correlationId);
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
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + new ReceiptEncoder()
            .wrapAndApplyHeader(message, length + EgressFraming.LENGTH_PREFIX, new MessageHeaderEncoder())
            .correlationId(correlationId).sequence(sequence).encodedLength();
        EgressFraming.putFrameLength(message, length, frameLength);
        length += EgressFraming.LENGTH_PREFIX + frameLength;
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
