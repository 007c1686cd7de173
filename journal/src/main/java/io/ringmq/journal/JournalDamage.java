package io.ringmq.journal;

import java.nio.file.Path;

/**
 * Where a journal scan found a record it cannot trust, and why.
 *
 * @param index         Chronicle index of the damaged record (cycle and sequence), or of the slot after the last
 *                      good record when the damage is between records.
 * @param file          the queue file ({@code .cq4}) holding it; null when unknown.
 * @param position      byte offset of the record's header in that file; -1 when unknown.
 * @param reason        what is wrong with it.
 * @param recordsBefore good records before it (what a repair keeps).
 * @param readableAfter records Chronicle can still read after it.
 * @param tornTail      an append cut short (no complete header yet, nothing after it): the last thing written. Safe
 *                      to drop: its batch never ended, so it was never acknowledged. A record whose header is whole
 *                      but whose checksum fails is damage even when it is the last one, unless it is what a full
 *                      disk leaves of a write Chronicle had completed ({@link CutShortWrite}): then it is a torn tail
 *                      too, set aside in place rather than cleared.
 */
public record JournalDamage(
    long index, Path file, long position, String reason, long recordsBefore, long readableAfter, boolean tornTail)
{
    public boolean isTornTail()
    {
        return tornTail;
    }

    public String describe()
    {
        return "journal record at index " + index + " (0x" + Long.toHexString(index) + ")" +
            (null == file ? "" : " in " + file) + (position < 0 ? "" : " at byte " + position) + " is damaged: " +
            reason + "; " + recordsBefore + " good records before it, " + readableAfter + " readable after it";
    }
}
