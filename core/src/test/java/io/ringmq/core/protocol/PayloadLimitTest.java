package io.ringmq.core.protocol;

import io.ringmq.core.protocol.Priority;
import io.ringmq.codecs.BrowsedEncoder;
import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.DeliverEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.PublishEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A payload of the largest length allowed fits every frame its message can travel in, the largest exactly (issue 18,
 * item 5: a payload that filled the Publish frame on a short queue name made a Deliver too large for the response
 * channel, and closed every consumer it went to).
 */
class PayloadLimitTest
{
    private static final int MAX_MESSAGE_LENGTH = 8192;
    private static final int MAX_HEADER_LENGTH = 1000;
    private static final String LONGEST_NAME = "n".repeat(Names.MAX_LENGTH) + Names.DEAD_LETTER_SUFFIX;
    private static final String LONGEST_ID = "i".repeat(MessageIds.MAX_LENGTH);
    private final byte[] headers = new byte[MAX_HEADER_LENGTH];

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(2 * MAX_MESSAGE_LENGTH);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final byte[] payload = new byte[PayloadLimit.maxPayloadLength(MAX_MESSAGE_LENGTH, MAX_HEADER_LENGTH)];

    @Test
    void aDeadLetterDeliveredWithTheLongestNamesMostHeadersAndLongestIdFits()
    {
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + new DeliverEncoder()
            .wrapAndApplyHeader(buffer, EgressFraming.LENGTH_PREFIX, header)
            .consumerId(1).sequence(2).attempt(3).publishTimestampNs(4).producerId(5).producerSequence(6).requestId(7).priority(Priority.DEFAULT)
            .deadLetterReason(DeadLetterReason.REJECTED).deadLetterAttempts(4)
            .putPayload(payload, 0, payload.length)
            .sourceQueue(LONGEST_NAME)
            .sourceGroup(LONGEST_NAME)
            .putHeaders(headers, 0, headers.length)
            .messageId(LONGEST_ID)
            .encodedLength();
        assertTrue(EgressFraming.LENGTH_PREFIX + frameLength <= MAX_MESSAGE_LENGTH, "deliver " + frameLength);
    }

    @Test
    void theBrowsedFitsAndARequestToTheLongestNamesIsTheLargestFrameAndFitsExactly()
    {
        final int browsedLength = MessageHeaderEncoder.ENCODED_LENGTH + new BrowsedEncoder()
            .wrapAndApplyHeader(buffer, EgressFraming.LENGTH_PREFIX, header)
            .correlationId(1).sequence(2).publishTimestampNs(3).deadLetterReason(DeadLetterReason.REJECTED)
            .deadLetterAttempts(4).producerId(5).producerSequence(6).priority(Priority.DEFAULT)
            .sourceQueue(LONGEST_NAME)
            .sourceGroup(LONGEST_NAME)
            .putPayload(payload, 0, payload.length)
            .putHeaders(headers, 0, headers.length)
            .messageId(LONGEST_ID)
            .encodedLength();
        assertTrue(EgressFraming.LENGTH_PREFIX + browsedLength <= MAX_MESSAGE_LENGTH, "browsed " + browsedLength);

        final int publishLength = MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder()
            .wrapAndApplyHeader(buffer, 0, header)
            .sessionId(1).correlationId(2).producerId(3).producerSequence(4).requestId(7).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0).queue(LONGEST_NAME)
            .putPayload(payload, 0, payload.length)
            .putHeaders(headers, 0, headers.length)
            .messageId(LONGEST_ID)
            .replyTo(LONGEST_NAME).encodedLength();
        // Since version 8 (priority, delay, deliver-at, time to live) the Publish outweighs the Deliver.
        assertEquals(MAX_MESSAGE_LENGTH, publishLength, "publish");
    }

    @Test
    void aMaximumTooSmallForAnyFrameAllowsNoPayload()
    {
        assertEquals(0, PayloadLimit.maxPayloadLength(PayloadLimit.OUTBOUND_OVERHEAD - 1, 0));
        assertEquals(1, PayloadLimit.maxPayloadLength(PayloadLimit.OUTBOUND_OVERHEAD + 1, 0));
        assertEquals(0, PayloadLimit.maxPayloadLength(PayloadLimit.OUTBOUND_OVERHEAD + 1, 1));
    }
}
