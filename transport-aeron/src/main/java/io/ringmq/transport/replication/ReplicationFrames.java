package io.ringmq.transport.replication;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The two frames of the replication link, written and read only here so the primary and the standby cannot disagree
 * on an offset. Little-endian, like the client schema.
 * <pre>
 *   COMMANDS (primary to standby): a ring batch, journal records verbatim
 *    0               2               4                               8
 *   +---------------+---------------+-------------------------------+
 *   |  version (1)  |  type (1)     |  command count                 |
 *   +---------------+---------------+-------------------------------+
 *   |  length of command 1 (int)    |  command 1: the 24-byte command header (log sequence, timestamp,
 *   +-------------------------------+  transport session) and the client frame, as the journal stores it  ...
 *   |  length of command 2 ...
 *
 *   ACK (standby to primary)
 *    0               2               4                               8                              16
 *   +---------------+---------------+-------------------------------+-------------------------------+
 *   |  version (1)  |  type (2)     |  reserved (0)                 |  covered log sequence (long)  |
 *   +---------------+---------------+-------------------------------+-------------------------------+
 * </pre>
 * Not an SBE message: a COMMANDS frame only wraps records whose layout the client schema and
 * {@link io.ringmq.core.protocol.CommandHeader} already define; the wrapper is two fields.
 */
public final class ReplicationFrames
{
    public static final short VERSION = 1;
    public static final short COMMANDS = 1;
    public static final short ACK = 2;

    static final int VERSION_OFFSET = 0;
    static final int TYPE_OFFSET = 2;
    static final int COUNT_OFFSET = 4;
    /** Where a COMMANDS frame's first length-prefixed command starts. */
    public static final int COMMANDS_HEADER_LENGTH = 8;
    /** The int before each command in a COMMANDS frame. */
    public static final int COMMAND_LENGTH_PREFIX = 4;
    static final int ACK_LOG_SEQUENCE_OFFSET = 8;
    public static final int ACK_LENGTH = 16;

    private ReplicationFrames()
    {
    }

    static void writeHeader(final MutableDirectBuffer buffer, final short type, final int count)
    {
        buffer.putShort(VERSION_OFFSET, VERSION);
        buffer.putShort(TYPE_OFFSET, type);
        buffer.putInt(COUNT_OFFSET, count);
    }

    static short type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TYPE_OFFSET);
    }

    static short version(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + VERSION_OFFSET);
    }

    static int count(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + COUNT_OFFSET);
    }

    static void writeAck(final MutableDirectBuffer buffer, final long logSequence)
    {
        writeHeader(buffer, ACK, 0);
        buffer.putLong(ACK_LOG_SEQUENCE_OFFSET, logSequence);
    }

    static long ackLogSequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + ACK_LOG_SEQUENCE_OFFSET);
    }

    /** The UDP channel of a replication endpoint (HOST:PORT), with a term length when given (0: Aeron's default). */
    public static String channel(final String endpoint, final int termLength)
    {
        return "aeron:udp?endpoint=" + endpoint + (0 == termLength ? "" : "|term-length=" + termLength);
    }
}
