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
 *   |  version (4)  |  type (1)     |  command count                |  the primary's epoch (long)   |
 *   +---------------+---------------+-------------------------------+-------------------------------+
 *   |  length of command 1 (int)    |  command 1: the 24-byte command header (log sequence, timestamp,
 *   +-------------------------------+  transport session) and the client frame, as the journal stores it  ...
 *   |  length of command 2 ...
 *
 *   ACK (standby to primary)
 *    0               2               4                               8                              16
 *   +---------------+---------------+-------------------------------+-------------------------------+
 *   |  version (4)  |  type (2)     |  reserved (0)                 |  covered log sequence (long)  |
 *   +---------------+---------------+-------------------------------+-------------------------------+
 *   |  the standby's epoch (long): the highest it has taken frames of                               |
 *   +-----------------------------------------------------------------------------------------------+
 *
 *   CATCHUP_REQUEST (standby to primary, on the catch-up stream: see {@link #catchUpStreamId}), 32 bytes:
 *    0               2               4                               8                             16           20   24
 *   +---------------+---------------+-------------------------------+-----------------------------+------------+----+
 *   |  version (4)  |  type (3)     |  request id (int)             |  after log sequence (long)  |  flags     | 0  |
 *   +---------------+---------------+-------------------------------+-----------------------------+------------+----+
 *   |  the requester's epoch (long): its log up to "after log sequence" is the log of that epoch's primary       |
 *   +-------------------------------------------------------------------------------------------------------------+
 *
 *   Catch-up answers (primary to standby, on the catch-up stream): COMMANDS frames as above (journal records read
 *   back, with the primary's epoch), and
 *   SNAPSHOT_CHUNK: version (4), type (4), request id, snapshot log sequence (long @8), file length (long @16),
 *                   chunk offset in the file (long @24), the primary's epoch (long @32), then the chunk's bytes (@40
 *                   to the frame's end)
 *   CATCHUP_DONE:   version (4), type (5), request id, last log sequence served (long @8), the primary's epoch
 *                   (long @16), diverged from (long @24): 0 when the requester's log is a prefix of this primary's;
 *                   else the first log sequence of the newer epoch the requester missed, where its log and this
 *                   primary's part: its records from there on are to be set aside (nothing was sent)   32 bytes
 *
 *   HEARTBEAT (each node to the other, on the heartbeat stream: see {@link #heartbeatStreamId}), 24 bytes:
 *    0               2               4                               8                              16            24
 *   +---------------+---------------+-------------------------------+------------------------------+-------------+
 *   |  version (4)  |  type (6)     |  sender's role (0 primary,    |  the sender's epoch (long)   |  its last   |
 *   |               |               |  1 standby) (int)             |                              |  log seq.   |
 *   +---------------+---------------+-------------------------------+------------------------------+-------------+
 *   HANDOVER (primary to standby, on the heartbeat stream, in place of its heartbeats during a planned switchover):
 *                   the HEARTBEAT layout with type (7): the primary has stopped taking commands, its standby has acked
 *                   every one up to that log sequence, and the standby is to promote itself into the next epoch
 * </pre>
 * Version 2 added the epochs ({@link EpochFence}); version 3 put the epoch in SNAPSHOT_CHUNK and CATCHUP_DONE too, so
 * catch-up is fenced like the live stream; version 4 put the requester's epoch in CATCHUP_REQUEST and the divergence
 * point in CATCHUP_DONE, so an old primary that comes back learns where its journal left the pair's history. A frame of another version is refused as unknown, so both nodes of a pair
 * run the same version (these frames are never journaled: no stored data depends on them).
 * Not an SBE message: a COMMANDS frame only wraps records whose layout the client schema and
 * {@link io.ringmq.core.protocol.CommandHeader} already define; the wrapper is two fields.
 */
public final class ReplicationFrames
{
    public static final short VERSION = 4;
    public static final short COMMANDS = 1;
    public static final short ACK = 2;
    public static final short CATCHUP_REQUEST = 3;
    public static final short SNAPSHOT_CHUNK = 4;
    public static final short CATCHUP_DONE = 5;
    public static final short HEARTBEAT = 6;
    public static final short HANDOVER = 7;
    /** A HEARTBEAT's sender role. */
    public static final int ROLE_PRIMARY = 0;
    public static final int ROLE_STANDBY = 1;
    /** Request flag: send the newest snapshot if the range is gone, then nothing more (a standby that is starting). */
    public static final int SNAPSHOT_ONLY = 1;

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
    static final int REQUEST_ID_OFFSET = 4;
    static final int REQUEST_LOG_SEQUENCE_OFFSET = 8;
    static final int REQUEST_FLAGS_OFFSET = 16;
    static final int REQUEST_EPOCH_OFFSET = 24;
    public static final int CATCHUP_REQUEST_LENGTH = 32;
    static final int CHUNK_LOG_SEQUENCE_OFFSET = 8;
    static final int CHUNK_FILE_LENGTH_OFFSET = 16;
    static final int CHUNK_FILE_OFFSET_OFFSET = 24;
    static final int CHUNK_EPOCH_OFFSET = 32;
    public static final int SNAPSHOT_CHUNK_HEADER_LENGTH = 40;
    static final int DONE_LOG_SEQUENCE_OFFSET = 8;
    static final int DONE_EPOCH_OFFSET = 16;
    static final int DONE_DIVERGED_FROM_OFFSET = 24;
    public static final int CATCHUP_DONE_LENGTH = 32;
    static final int HEARTBEAT_LOG_SEQUENCE_OFFSET = 16;
    public static final int HEARTBEAT_LENGTH = 24;
    /**
     * After a heartbeat's fixed part: the sending node's client addresses (int length, then UTF-8), which a standby names
     * in its NOT_PRIMARY redirect. A node of an earlier release reads the fixed part only and ignores them.
     */
    static final int HEARTBEAT_CLIENT_ADDRESS_OFFSET = HEARTBEAT_LENGTH;
    /** The most bytes of client addresses a heartbeat carries (a longer text is not sent). */
    public static final int MAX_CLIENT_ADDRESS_BYTES = 1024;

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

    static void writeCatchUpRequest(
        final MutableDirectBuffer buffer,
        final int requestId,
        final long afterLogSequence,
        final int flags,
        final long epoch)
    {
        writeHeader(buffer, CATCHUP_REQUEST, requestId);
        buffer.putLong(REQUEST_LOG_SEQUENCE_OFFSET, afterLogSequence);
        buffer.putInt(REQUEST_FLAGS_OFFSET, flags);
        buffer.putInt(REQUEST_FLAGS_OFFSET + 4, 0);
        buffer.putLong(REQUEST_EPOCH_OFFSET, epoch);
    }

    static long requestEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + REQUEST_EPOCH_OFFSET);
    }

    /** The request id of a CATCHUP_REQUEST, SNAPSHOT_CHUNK or CATCHUP_DONE (where COMMANDS keep their count). */
    static int requestId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + REQUEST_ID_OFFSET);
    }

    static long requestLogSequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + REQUEST_LOG_SEQUENCE_OFFSET);
    }

    static int requestFlags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + REQUEST_FLAGS_OFFSET);
    }

    static void writeSnapshotChunkHeader(
        final MutableDirectBuffer buffer,
        final int requestId,
        final long snapshotLogSequence,
        final long fileLength,
        final long fileOffset,
        final long epoch)
    {
        writeHeader(buffer, SNAPSHOT_CHUNK, requestId);
        buffer.putLong(CHUNK_LOG_SEQUENCE_OFFSET, snapshotLogSequence);
        buffer.putLong(CHUNK_FILE_LENGTH_OFFSET, fileLength);
        buffer.putLong(CHUNK_FILE_OFFSET_OFFSET, fileOffset);
        buffer.putLong(CHUNK_EPOCH_OFFSET, epoch);
    }

    static long chunkEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + CHUNK_EPOCH_OFFSET);
    }

    static long chunkLogSequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + CHUNK_LOG_SEQUENCE_OFFSET);
    }

    static long chunkFileLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + CHUNK_FILE_LENGTH_OFFSET);
    }

    static long chunkFileOffset(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + CHUNK_FILE_OFFSET_OFFSET);
    }

    static void writeCatchUpDone(
        final MutableDirectBuffer buffer,
        final int requestId,
        final long lastLogSequence,
        final long epoch,
        final long divergedFrom)
    {
        writeHeader(buffer, CATCHUP_DONE, requestId);
        buffer.putLong(DONE_LOG_SEQUENCE_OFFSET, lastLogSequence);
        buffer.putLong(DONE_EPOCH_OFFSET, epoch);
        buffer.putLong(DONE_DIVERGED_FROM_OFFSET, divergedFrom);
    }

    static long doneDivergedFrom(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + DONE_DIVERGED_FROM_OFFSET);
    }

    static long doneEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + DONE_EPOCH_OFFSET);
    }

    static long doneLogSequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + DONE_LOG_SEQUENCE_OFFSET);
    }

    /** A HEARTBEAT, or a HANDOVER (same layout) when {@code handover}. */
    static void writeHeartbeat(
        final MutableDirectBuffer buffer, final boolean handover, final int role, final long epoch, final long logSequence)
    {
        writeHeader(buffer, handover ? HANDOVER : HEARTBEAT, role);
        buffer.putLong(EPOCH_OFFSET, epoch);
        buffer.putLong(HEARTBEAT_LOG_SEQUENCE_OFFSET, logSequence);
    }

    static long heartbeatLogSequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + HEARTBEAT_LOG_SEQUENCE_OFFSET);
    }

    /**
     * The stream id of heartbeats, on both endpoints: the one after catch-up's. A stream of their own, so that a node
     * whose ring is idle (the replicator runs only when commands flow) or busy with a big batch still beats on time,
     * from a thread that does nothing else.
     */
    public static int heartbeatStreamId(final int replicationStreamId)
    {
        return replicationStreamId + 2;
    }

    /**
     * The stream id of catch-up, on both endpoints (requests to the primary's, answers to the standby's): the one after
     * the replication stream's, so it needs no key of its own and never meets the live commands or the acks.
     */
    public static int catchUpStreamId(final int replicationStreamId)
    {
        return replicationStreamId + 1;
    }

    /** The UDP channel of a replication endpoint (HOST:PORT), with a term length when given (0: Aeron's default). */
    public static String channel(final String endpoint, final int termLength)
    {
        return "aeron:udp?endpoint=" + endpoint + (0 == termLength ? "" : "|term-length=" + termLength);
    }
}
