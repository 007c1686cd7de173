package io.ringmq.core.protocol;

import io.ringmq.codecs.AckBatchDecoder;
import io.ringmq.codecs.AckDecoder;
import io.ringmq.codecs.ConnectDecoder;
import io.ringmq.codecs.DeclareGroupDecoder;
import io.ringmq.codecs.DeclareQueueDecoder;
import io.ringmq.codecs.DisconnectDecoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.ExtendDecoder;
import io.ringmq.codecs.GrantDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.NackDecoder;
import io.ringmq.codecs.PublishDecoder;
import io.ringmq.codecs.QueryDecoder;
import io.ringmq.codecs.QueueAdminDecoder;
import io.ringmq.codecs.ReplyDecoder;
import io.ringmq.codecs.SeekDecoder;
import io.ringmq.codecs.SubscribeDecoder;
import io.ringmq.codecs.UnsubscribeDecoder;
import org.agrona.DirectBuffer;

import java.util.List;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Checks that a frame is whole and means something before anything decodes it: header present, schema and version
 * known, template known, fixed block present, every repeating group's entries and every variable-length field's
 * length prefix inside the frame, and every enum field (and any field whose type declares a range) holding a value
 * the schema allows. Garbled lengths and values are therefore caught here, with an error code, instead of surfacing
 * as exceptions deep in a decoder or the state machine, and never reach the journal. An AckBatch without entries is
 * refused as malformed too: a batch exists to carry acks, and the state machine may rely on at least one.
 * <p>
 * What it checks per template is derived from the schema ({@link SchemaLayout}), not kept by hand beside it; only
 * which templates clients may send is said here.
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
    private static final SchemaLayout.Field[] NO_FIELDS = new SchemaLayout.Field[0];

    /** The schema's messages by template id; null where it has none. */
    private static final SchemaLayout.Message[] MESSAGES = new SchemaLayout.Message[MAX_TEMPLATE_ID];
    /** Fixed block length a frame needs, by template id and version (index: version, 0 to the schema's). */
    private static final int[][] MIN_BLOCK_LENGTHS = new int[MAX_TEMPLATE_ID][];
    /** How many var-data fields a frame has, by template id and version. */
    private static final int[][] VAR_FIELDS = new int[MAX_TEMPLATE_ID][];
    /** Fields of the fixed block whose values the schema restricts (enums, declared ranges), by template id. */
    private static final SchemaLayout.Field[][] RESTRICTED = new SchemaLayout.Field[MAX_TEMPLATE_ID][];
    /** The same for one entry of the template's repeating group. */
    private static final SchemaLayout.Field[][] RESTRICTED_IN_ENTRY = new SchemaLayout.Field[MAX_TEMPLATE_ID][];
    /** Templates a client may send; the others are the daemon's answers or commands it journals itself. */
    private static final boolean[] FROM_CLIENT = new boolean[MAX_TEMPLATE_ID];

    static
    {
        for (final SchemaLayout.Message message : SchemaLayout.RINGMQ.messages().values())
        {
            final int templateId = message.templateId();
            MESSAGES[templateId] = message;
            MIN_BLOCK_LENGTHS[templateId] = new int[MessageHeaderDecoder.SCHEMA_VERSION + 1];
            VAR_FIELDS[templateId] = new int[MessageHeaderDecoder.SCHEMA_VERSION + 1];
            for (int version = 0; version <= MessageHeaderDecoder.SCHEMA_VERSION; version++)
            {
                MIN_BLOCK_LENGTHS[templateId][version] = message.minBlockLength(version);
                VAR_FIELDS[templateId][version] = message.varFields(version);
            }
            RESTRICTED[templateId] = restricted(message.fields());
            RESTRICTED_IN_ENTRY[templateId] =
                null == message.group() ? NO_FIELDS : restricted(message.group().fields());
        }
        for (final int templateId : new int[]{
            ConnectDecoder.TEMPLATE_ID, DisconnectDecoder.TEMPLATE_ID, PublishDecoder.TEMPLATE_ID,
            SubscribeDecoder.TEMPLATE_ID, AckDecoder.TEMPLATE_ID, AckBatchDecoder.TEMPLATE_ID, NackDecoder.TEMPLATE_ID,
            QueueAdminDecoder.TEMPLATE_ID, ExtendDecoder.TEMPLATE_ID, GrantDecoder.TEMPLATE_ID,
            DeclareQueueDecoder.TEMPLATE_ID, DeclareGroupDecoder.TEMPLATE_ID, ReplyDecoder.TEMPLATE_ID,
            UnsubscribeDecoder.TEMPLATE_ID, QueryDecoder.TEMPLATE_ID, SeekDecoder.TEMPLATE_ID})
        {
            FROM_CLIENT[templateId] = true;
        }
    }

    private FrameValidator()
    {
    }

    private static SchemaLayout.Field[] restricted(final List<SchemaLayout.Field> fields)
    {
        return fields.stream().filter(SchemaLayout.Field::isRestricted).toArray(SchemaLayout.Field[]::new);
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
        if (templateId >= MAX_TEMPLATE_ID || null == MESSAGES[templateId])
        {
            return ErrorCode.UNKNOWN_TEMPLATE;
        }
        if (blockLength < MIN_BLOCK_LENGTHS[templateId][version])
        {
            return ErrorCode.MALFORMED_FRAME;
        }

        final int end = offset + length;
        final int blockOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        int position = blockOffset + blockLength;
        if (position > end)
        {
            return ErrorCode.MALFORMED_FRAME;
        }
        final SchemaLayout.Message message = MESSAGES[templateId];
        final int groupStart = position;
        if (null != message.group())
        {
            position = endOfGroup(buffer, groupStart, end, message.group().entryLength());
            if (position < 0)
            {
                return ErrorCode.MALFORMED_FRAME;
            }
        }
        boolean varDataTooLong = false;
        for (int i = 0, fields = VAR_FIELDS[templateId][version]; i < fields; i++)
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
            varDataTooLong |= fieldLength > message.varData().get(i).maxLength();
            position += (int)fieldLength;
        }

        // Whole: now what its fields hold.
        if (varDataTooLong || null != firstDisallowed(RESTRICTED[templateId], buffer, blockOffset, version) ||
            (null != message.group() && !entriesAllowed(RESTRICTED_IN_ENTRY[templateId], buffer, groupStart, version)))
        {
            return ErrorCode.INVALID_ARGUMENT;
        }
        return null;
    }

    /**
     * Which restricted field of a frame {@link #validate} refused with {@code INVALID_ARGUMENT} holds a value the
     * schema does not allow, and what it allows: for log lines. Allocates; call it for refused frames only.
     */
    public static String invalidField(final DirectBuffer buffer, final int offset, final int length)
    {
        if (ErrorCode.INVALID_ARGUMENT != validate(buffer, offset, length))
        {
            return "no invalid field";
        }
        final int templateId = templateId(buffer, offset);
        final int version = buffer.getShort(offset + MessageHeaderDecoder.versionEncodingOffset(), LITTLE_ENDIAN);
        final int blockOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final SchemaLayout.Field field = firstDisallowed(RESTRICTED[templateId], buffer, blockOffset, version);
        if (null != field)
        {
            return MESSAGES[templateId].name() + "." + field.name() + "=" + field.read(buffer, blockOffset) +
                " (allowed: " + field.allowed() + ")";
        }
        final SchemaLayout.Message message = MESSAGES[templateId];
        if (null == message.group())
        {
            return message.name() + ": a var-data field is longer than the schema allows (" +
                message.varData().stream().filter(f -> f.maxLength() < Integer.MAX_VALUE)
                    .map(f -> f.name() + " at most " + f.maxLength()).toList() + ")";
        }
        return message.name() + "." + message.group().name() + ": an entry holds a value the schema does not allow";
    }

    /** The first restricted field the frame's version has that holds a value the schema does not allow; else null. */
    private static SchemaLayout.Field firstDisallowed(
        final SchemaLayout.Field[] fields, final DirectBuffer buffer, final int blockOffset, final int version)
    {
        for (final SchemaLayout.Field field : fields)
        {
            if (field.sinceVersion() <= version && !field.allows(field.read(buffer, blockOffset)))
            {
                return field;
            }
        }
        return null;
    }

    /** Whether {@link #firstDisallowed} finds nothing in each entry of a group that {@link #endOfGroup} found whole. */
    private static boolean entriesAllowed(
        final SchemaLayout.Field[] fields, final DirectBuffer buffer, final int groupStart, final int version)
    {
        final int entryLength = buffer.getShort(groupStart, LITTLE_ENDIAN) & 0xFFFF;
        final int count = buffer.getShort(groupStart + Short.BYTES, LITTLE_ENDIAN) & 0xFFFF;
        for (int i = 0, entry = groupStart + GROUP_HEADER_LENGTH; i < count && 0 != fields.length; i++)
        {
            if (null != firstDisallowed(fields, buffer, entry, version))
            {
                return false;
            }
            entry += entryLength;
        }
        return true;
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
            DeclareQueueDecoder.TEMPLATE_ID == templateId || DeclareGroupDecoder.TEMPLATE_ID == templateId ||
            QueryDecoder.TEMPLATE_ID == templateId || SeekDecoder.TEMPLATE_ID == templateId;
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
