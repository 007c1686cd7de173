package io.ringmq.core.protocol;

import io.ringmq.codecs.AckBatchDecoder;
import io.ringmq.codecs.AckDecoder;
import io.ringmq.codecs.AdminDoneDecoder;
import io.ringmq.codecs.BrowsedDecoder;
import io.ringmq.codecs.ConnectDecoder;
import io.ringmq.codecs.ConnectedDecoder;
import io.ringmq.codecs.DeclareGroupDecoder;
import io.ringmq.codecs.DeclareQueueDecoder;
import io.ringmq.codecs.DeliverDecoder;
import io.ringmq.codecs.DisconnectDecoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ErrorDecoder;
import io.ringmq.codecs.ExtendDecoder;
import io.ringmq.codecs.FrameRejectedDecoder;
import io.ringmq.codecs.GrantDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.NackDecoder;
import io.ringmq.codecs.NodeStartedDecoder;
import io.ringmq.codecs.PublishDecoder;
import io.ringmq.codecs.QueueAdminDecoder;
import io.ringmq.codecs.QueueLimitsDecoder;
import io.ringmq.codecs.QueueRuleDecoder;
import io.ringmq.codecs.QueueStatsDecoder;
import io.ringmq.codecs.ReceiptDecoder;
import io.ringmq.codecs.SessionLostDecoder;
import io.ringmq.codecs.SubscribeDecoder;
import io.ringmq.codecs.SubscribedDecoder;
import io.ringmq.codecs.TickDecoder;
import io.ringmq.codecs.TransportClosedDecoder;
import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Checks that a frame is whole before anything decodes it: header present, schema and version known, template
 * known, fixed block present, every repeating group's entries and every variable-length field's length prefix
 * inside the frame. Garbled lengths and counts are therefore caught here, with an error code, instead of surfacing
 * as exceptions deep in a decoder. An AckBatch without entries is refused as malformed too: a batch exists to carry
 * acks, and the state machine may rely on at least one.
 * <p>
 * Stateless and allocation-free; safe to share.
 */
public final class FrameValidator
{
    /** Length prefix of every var-data field in the schema (uint32). */
    private static final int VAR_LENGTH_PREFIX = 4;
    /** Header of every repeating group in the schema (groupSizeEncoding: blockLength, numInGroup, both uint16). */
    private static final int GROUP_HEADER_LENGTH = 4;
    private static final int MAX_GROUP_COUNT = AckBatchDecoder.EntriesDecoder.countMaxValue();
    private static final int MAX_TEMPLATE_ID = 64;

    private static final boolean[] KNOWN = new boolean[MAX_TEMPLATE_ID];
    /** Templates a client may send; the others are the daemon's answers or commands it journals itself. */
    private static final boolean[] FROM_CLIENT = new boolean[MAX_TEMPLATE_ID];
    /** Fixed block length by template id. */
    private static final int[] BLOCK_LENGTHS = new int[MAX_TEMPLATE_ID];
    /** Fixed block length of a version 2 frame: shorter where version 3 added fields at the end of the block. */
    private static final int[] VERSION_2_BLOCK_LENGTHS = new int[MAX_TEMPLATE_ID];
    /** Number of trailing var-data fields by template id. */
    private static final int[] VAR_FIELDS = new int[MAX_TEMPLATE_ID];
    /** Smallest entry block of the template's one repeating group (after the fixed block); 0 = it has none. */
    private static final int[] GROUP_ENTRY_LENGTHS = new int[MAX_TEMPLATE_ID];

    static
    {
        register(ConnectDecoder.TEMPLATE_ID, ConnectDecoder.BLOCK_LENGTH, 2, true);
        register(DisconnectDecoder.TEMPLATE_ID, DisconnectDecoder.BLOCK_LENGTH, 0, true);
        register(PublishDecoder.TEMPLATE_ID, PublishDecoder.BLOCK_LENGTH, 2, true);
        register(SubscribeDecoder.TEMPLATE_ID, SubscribeDecoder.BLOCK_LENGTH, 2, true);
        register(AckDecoder.TEMPLATE_ID, AckDecoder.BLOCK_LENGTH, 0, true);
        register(AckBatchDecoder.TEMPLATE_ID, AckBatchDecoder.BLOCK_LENGTH, 0, true);
        GROUP_ENTRY_LENGTHS[AckBatchDecoder.TEMPLATE_ID] = AckBatchDecoder.EntriesDecoder.sbeBlockLength();
        register(NackDecoder.TEMPLATE_ID, NackDecoder.BLOCK_LENGTH, 0, true);
        register(QueueAdminDecoder.TEMPLATE_ID, QueueAdminDecoder.BLOCK_LENGTH, 2, true);
        register(ExtendDecoder.TEMPLATE_ID, ExtendDecoder.BLOCK_LENGTH, 0, true);
        register(GrantDecoder.TEMPLATE_ID, GrantDecoder.BLOCK_LENGTH, 0, true);
        register(DeclareQueueDecoder.TEMPLATE_ID, DeclareQueueDecoder.BLOCK_LENGTH, 1, true);
        VERSION_2_BLOCK_LENGTHS[DeclareQueueDecoder.TEMPLATE_ID] -= QueueLimitsDecoder.ENCODED_LENGTH;
        register(DeclareGroupDecoder.TEMPLATE_ID, DeclareGroupDecoder.BLOCK_LENGTH, 3, true);
        register(ConnectedDecoder.TEMPLATE_ID, ConnectedDecoder.BLOCK_LENGTH, 0, false);
        register(ReceiptDecoder.TEMPLATE_ID, ReceiptDecoder.BLOCK_LENGTH, 0, false);
        register(SubscribedDecoder.TEMPLATE_ID, SubscribedDecoder.BLOCK_LENGTH, 0, false);
        register(DeliverDecoder.TEMPLATE_ID, DeliverDecoder.BLOCK_LENGTH, 1, false);
        register(ErrorDecoder.TEMPLATE_ID, ErrorDecoder.BLOCK_LENGTH, 1, false);
        register(BrowsedDecoder.TEMPLATE_ID, BrowsedDecoder.BLOCK_LENGTH, 3, false);
        register(AdminDoneDecoder.TEMPLATE_ID, AdminDoneDecoder.BLOCK_LENGTH, 0, false);
        register(QueueStatsDecoder.TEMPLATE_ID, QueueStatsDecoder.BLOCK_LENGTH, 0, false);
        register(NodeStartedDecoder.TEMPLATE_ID, NodeStartedDecoder.BLOCK_LENGTH, 0, false);
        register(TransportClosedDecoder.TEMPLATE_ID, TransportClosedDecoder.BLOCK_LENGTH, 0, false);
        register(TickDecoder.TEMPLATE_ID, TickDecoder.BLOCK_LENGTH, 0, false);
        register(QueueRuleDecoder.TEMPLATE_ID, QueueRuleDecoder.BLOCK_LENGTH, 1, false);
        VERSION_2_BLOCK_LENGTHS[QueueRuleDecoder.TEMPLATE_ID] -= QueueLimitsDecoder.ENCODED_LENGTH;
        register(SessionLostDecoder.TEMPLATE_ID, SessionLostDecoder.BLOCK_LENGTH, 0, false);
        register(FrameRejectedDecoder.TEMPLATE_ID, FrameRejectedDecoder.BLOCK_LENGTH, 0, false);
    }

    private FrameValidator()
    {
    }

    private static void register(
        final int templateId, final int blockLength, final int varFields, final boolean fromClient)
    {
        KNOWN[templateId] = true;
        FROM_CLIENT[templateId] = fromClient;
        BLOCK_LENGTHS[templateId] = blockLength;
        VERSION_2_BLOCK_LENGTHS[templateId] = blockLength;
        VAR_FIELDS[templateId] = varFields;
    }

    /**
     * @return {@code null} when the frame is whole, else the code naming what is wrong with it.
     */
    public static ErrorCode validate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return ErrorCode.MALFORMED_FRAME;
        }

        final int blockLength = buffer.getShort(offset + MessageHeaderDecoder.blockLengthEncodingOffset(), LITTLE_ENDIAN)
            & 0xFFFF;
        final int templateId = buffer.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset(), LITTLE_ENDIAN)
            & 0xFFFF;
        final int schemaId = buffer.getShort(offset + MessageHeaderDecoder.schemaIdEncodingOffset(), LITTLE_ENDIAN)
            & 0xFFFF;
        final int version = buffer.getShort(offset + MessageHeaderDecoder.versionEncodingOffset(), LITTLE_ENDIAN)
            & 0xFFFF;

        if (schemaId != MessageHeaderDecoder.SCHEMA_ID || version > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            return ErrorCode.UNSUPPORTED_VERSION;
        }
        if (templateId >= MAX_TEMPLATE_ID || !KNOWN[templateId])
        {
            return ErrorCode.UNKNOWN_TEMPLATE;
        }
        if (blockLength < (version < 3 ? VERSION_2_BLOCK_LENGTHS[templateId] : BLOCK_LENGTHS[templateId]))
        {
            return ErrorCode.MALFORMED_FRAME;
        }

        final int end = offset + length;
        int position = offset + MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        if (position > end)
        {
            return ErrorCode.MALFORMED_FRAME;
        }
        final int entryLength = GROUP_ENTRY_LENGTHS[templateId];
        if (0 != entryLength)
        {
            position = endOfGroup(buffer, position, end, entryLength);
            if (position < 0)
            {
                return ErrorCode.MALFORMED_FRAME;
            }
        }
        for (int i = 0, fields = VAR_FIELDS[templateId]; i < fields; i++)
        {
            if (position + VAR_LENGTH_PREFIX > end)
            {
                return ErrorCode.MALFORMED_FRAME;
            }
            final long fieldLength = buffer.getInt(position, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            position += VAR_LENGTH_PREFIX;
            if (fieldLength > end - position)
            {
                return ErrorCode.MALFORMED_FRAME;
            }
            position += (int)fieldLength;
        }

        return null;
    }

    /**
     * Checks a repeating group (groupSizeEncoding: uint16 entry block length, uint16 count) at {@code position}: its
     * header and all its entries inside the frame, entries no shorter than the schema's, and a count from 1 (AckBatch,
     * so far the one template with a group, must carry an entry) to the schema's maximum (65535 is the null value).
     *
     * @return the position after the group, or -1 if it is not whole.
     */
    private static int endOfGroup(final DirectBuffer buffer, final int position, final int end, final int entryLength)
    {
        if (position + GROUP_HEADER_LENGTH > end)
        {
            return -1;
        }
        final int blockLength = buffer.getShort(position, LITTLE_ENDIAN) & 0xFFFF;
        final int count = buffer.getShort(position + Short.BYTES, LITTLE_ENDIAN) & 0xFFFF;
        final long groupEnd = position + GROUP_HEADER_LENGTH + (long)blockLength * count;
        if (blockLength < entryLength || 0 == count || count > MAX_GROUP_COUNT || groupEnd > end)
        {
            return -1;
        }
        return (int)groupEnd;
    }

    /**
     * The session a frame names, read without trusting the rest of it: every client command but Connect starts its
     * fixed block with the session id. For telling a client why its frame was refused.
     *
     * @return the session id, or {@link Long#MIN_VALUE} if the frame is too short or not a client command naming one.
     */
    public static long sessionIdOf(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES)
        {
            return Long.MIN_VALUE;
        }
        final int templateId = templateId(buffer, offset);
        if (templateId >= MAX_TEMPLATE_ID || !FROM_CLIENT[templateId] || ConnectDecoder.TEMPLATE_ID == templateId)
        {
            return Long.MIN_VALUE;
        }
        return buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH, LITTLE_ENDIAN);
    }

    /** The correlation id of a command that has one right after its session id (requests answered by id), else 0. */
    public static long correlationIdOf(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH + 2 * Long.BYTES)
        {
            return 0;
        }
        final int templateId = templateId(buffer, offset);
        final boolean hasCorrelation = PublishDecoder.TEMPLATE_ID == templateId ||
            SubscribeDecoder.TEMPLATE_ID == templateId || QueueAdminDecoder.TEMPLATE_ID == templateId ||
            DeclareQueueDecoder.TEMPLATE_ID == templateId || DeclareGroupDecoder.TEMPLATE_ID == templateId;
        return hasCorrelation ?
            buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES, LITTLE_ENDIAN) : 0;
    }

    /** Whether clients may send this template (a frame {@link #validate} accepted). */
    public static boolean isClientCommand(final int templateId)
    {
        return FROM_CLIENT[templateId];
    }

    /** Template id of a frame that {@link #validate} accepted. */
    public static int templateId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset(), LITTLE_ENDIAN) & 0xFFFF;
    }
}
