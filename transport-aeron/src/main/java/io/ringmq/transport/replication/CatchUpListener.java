package io.ringmq.transport.replication;

import org.agrona.DirectBuffer;

/**
 * Where the standby's {@link CatchUpAdapter} hands what is not a command: snapshot chunks and the end of a catch-up.
 */
public interface CatchUpListener
{
    /**
     * A piece of the primary's newest snapshot file, sent because the range asked for is no longer in its journal.
     *
     * @param snapshotLogSequence the log sequence the snapshot holds the state after.
     * @param fileLength          the whole file's length.
     * @param fileOffset          where in the file this chunk goes; chunks come in order.
     */
    void onSnapshotChunk(
        int requestId,
        long snapshotLogSequence,
        long fileLength,
        long fileOffset,
        DirectBuffer buffer,
        int offset,
        int length);

    /**
     * The primary has sent all it had for the request, up to {@code lastLogSequence}.
     *
     * @param divergedFrom 0; or the first log sequence of a newer epoch the standby's log left the pair's history at
     *                     (the primary then sent nothing): its records from there on are to be set aside.
     */
    void onCatchUpDone(int requestId, long lastLogSequence, long divergedFrom);
}
