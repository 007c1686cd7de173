package io.ringmq.core.state;

import org.agrona.DirectBuffer;

/**
 * Where a sink reads a journal record back by its log sequence: the daemon's journal, or what a test applied. Used for
 * payloads that left memory ({@link MessageView#payloadInJournal()}), outside the state machine, which stays pure.
 */
public interface JournalRecords
{
    /** Takes one record: the command header then the frame, valid only during the call. */
    @FunctionalInterface
    interface RecordHandler
    {
        void onRecord(DirectBuffer buffer, int offset, int length);
    }

    /**
     * Hands the record at {@code logSequence} to the handler, on the caller's thread, before returning.
     *
     * @return false if the journal no longer holds it (or cannot be read there): the handler was not called.
     */
    boolean read(long logSequence, RecordHandler handler);
}
