package io.ringmq.transport.replication;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The two frames of the replication link, written and read only here so the primary and the standby cannot disagree
 * on an offset. Little-endian, like the client schema.
 * <pre>
 *   COMMANDS (primary to standby): a ring batch, journal records verbatim
 *    0               2               4                               8                              16
 *   +---------------+---------------+-------------------------------+-------------------------------+
 *   |  version (2)  |  type (1)     |  command count                |  the primary's epoch (long)   |
 *   +---------------+---------------+-------------------------------+-------------------------------+
 *   |  length of command 1 (int)    |  command 1: the 24-byte command header (log sequence, timestamp,
 *   +-------------------------------+  transport session) and the client frame, as the journal stores it  ...
 *   |  length of command 2 ...
 *
 *   ACK (standby to primary)
 *    0               2               4                               8                              16
 *   +---------------+---------------+-------------------------------+-------------------------------+
 *   |  version (2)  |  type (2)     |  reserved (0)                 |  covered log sequence (long)  |
 *   +---------------+---------------+-------------------------------+-------------------------------+
 *   |  the standby's epoch (long): the highest it has taken frames of                               |
 *   +-----------------------------------------------------------------------------------------------+
 * </pre>
 * Version 2 added the epochs ({@link EpochFence}); a version 1 frame is refused as unknown, so both nodes of a pair
 * run the same version.
 * Not an SBE message: a COMMANDS frame only wraps records whose layout the client schema and
 * {@link io.ringmq.core.protocol.CommandHeader} already define; the wrapper is two fields.
 */
public final class ReplicationFrames
{
    public static final short VERSION = 2;
    public static final short COMMANDS = 1;
    public static final short ACK = 2;

    static final int VERSION_OFFSET = 0;
    static final int TYPE_OFFSET = 2;
    static final int COUNT_OFFSET = 4;
    static final int EPOCH_OFFSET = 8;
    /** Where a COMMANDS frame's first length-prefixed command starts. */
    public static final int COMMANDS_HEADER_LENGTH = 16;
    /** The int before each command in a COMMANDS frame. */
    public static final int COMMAND_LENGTH_PREFIX = 4;
    static final int ACK_LOG_SEQUENCE_OFFSET = 8;
    static final int ACK_EPOCH_OFFSET = 16;
    public static final int ACK_LENGTH = 24;

    private ReplicationFrames()
    {
    }

    static void writeHeader(final MutableDirectBuffer buffer, final short type, final int count)
    {
        buffer.putShort(VERSION_OFFSET, VERSION);
        buffer.putShort(TYPE_OFFSET, type);
        buffer.putInt(COUNT_OFFSET, count);
    }

    static void writeCommandsHeader(final MutableDirectBuffer buffer, final int count, final long epoch)
    {
        writeHeader(buffer, COMMANDS, count);
        buffer.putLong(EPOCH_OFFSET, epoch);
    }

    static long commandsEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + EPOCH_OFFSET);
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

    static void writeAck(final MutableDirectBuffer buffer, final long logSequence, final long epoch)
    {
        writeHeader(buffer, ACK, 0);
        buffer.putLong(ACK_LOG_SEQUENCE_OFFSET, logSequence);
        buffer.putLong(ACK_EPOCH_OFFSET, epoch);
    }

    static long ackEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + ACK_EPOCH_OFFSET);
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
