package io.ringmq.core.protocol;

import io.ringmq.codecs.BrowsedEncoder;
import io.ringmq.codecs.DeliverEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.PublishEncoder;

/**
 * The largest payload a message may carry: every frame the message can ever travel in must fit the daemon's maximum
 * message length ({@code ringmq.max.message.bytes}), which is also the most a client's response channel is made to
 * carry.
 * <p>
 * A message travels in more than the Publish it came in: a Deliver to each consumer and, the largest, a Browsed, which
 * for a dead letter names the queue and the group it came from; each goes to its client after its
 * {@link EgressFraming} length. The payload is checked against the worst of them with names of the longest length
 * allowed ({@link Names#MAX_DEAD_LETTER_LENGTH}), not with the names it has when published: the group that dead-letters it may
 * be created later, and the letter may be browsed from a dead-letter queue the group declared. A message that passes
 * at publish can therefore always be delivered, browsed and dead-lettered; one that did not would be receipted and
 * then close the session of every client it was sent to.
 * <p>
 * Every frame a message travels in (version 7) also carries its headers and its message id after the payload: the
 * limit keeps room for the most header bytes a Publish may carry ({@code ringmq.max.header.bytes}) and the longest
 * message id, whatever the message at hand carries, so the payload limit is one number a client knows at connect.
 *
 * <pre>
 *   The largest: a dead letter, browsed
 *  +--------+------------+----------------+---------------------+---------------------+----------------+---------+
 *  | length | SBE header | Browsed block  | sourceQueue: length | sourceGroup: length | payload length | payload |
 *  | int32  |            |                | + up to 259         | + up to 259         |                |         |
 *  +--------+------------+----------------+---------------------+---------------------+----------------+---------+
 *  |<-------------------------------- OUTBOUND_OVERHEAD ---------------------------------------------->|
 *    then: headers length + up to max header bytes, message id length + up to 128 (also in OUTBOUND_OVERHEAD, but
 *    the headers' own bytes, which are configured)
 * </pre>
 * Stateless.
 */
public final class PayloadLimit
{
    /** Bytes the largest frame a message travels in (with its length prefix, if it has one) adds to its payload. */
    public static final int OUTBOUND_OVERHEAD =
        Math.max(publishOverhead(), Math.max(deliverOverhead(), browsedOverhead()));

    private PayloadLimit()
    {
    }

    /**
     * The largest payload a Publish may carry when no frame may exceed {@code maxMessageLength} bytes and headers may
     * take up to {@code maxHeaderLength}.
     */
    public static int maxPayloadLength(final int maxMessageLength, final int maxHeaderLength)
    {
        return Math.max(0, maxMessageLength - OUTBOUND_OVERHEAD - maxHeaderLength);
    }

    /** The Publish itself, to a queue of the longest name; the ingress takes it without a length prefix. */
    private static int publishOverhead()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + PublishEncoder.BLOCK_LENGTH +
            PublishEncoder.queueHeaderLength() + Names.MAX_DEAD_LETTER_LENGTH + PublishEncoder.payloadHeaderLength() +
            PublishEncoder.headersHeaderLength() + PublishEncoder.messageIdHeaderLength() + MessageIds.MAX_LENGTH +
            PublishEncoder.replyToHeaderLength() + Names.MAX_DEAD_LETTER_LENGTH;
    }

    private static int deliverOverhead()
    {
        return EgressFraming.LENGTH_PREFIX + MessageHeaderEncoder.ENCODED_LENGTH + DeliverEncoder.BLOCK_LENGTH +
            DeliverEncoder.payloadHeaderLength() + DeliverEncoder.sourceQueueHeaderLength() + Names.MAX_DEAD_LETTER_LENGTH +
            DeliverEncoder.sourceGroupHeaderLength() + Names.MAX_DEAD_LETTER_LENGTH + DeliverEncoder.headersHeaderLength() +
            DeliverEncoder.messageIdHeaderLength() + MessageIds.MAX_LENGTH;
    }

    private static int browsedOverhead()
    {
        return EgressFraming.LENGTH_PREFIX + MessageHeaderEncoder.ENCODED_LENGTH + BrowsedEncoder.BLOCK_LENGTH +
            BrowsedEncoder.sourceQueueHeaderLength() + Names.MAX_DEAD_LETTER_LENGTH +
            BrowsedEncoder.sourceGroupHeaderLength() + Names.MAX_DEAD_LETTER_LENGTH + BrowsedEncoder.payloadHeaderLength() +
            BrowsedEncoder.headersHeaderLength() + BrowsedEncoder.messageIdHeaderLength() + MessageIds.MAX_LENGTH;
    }
}
