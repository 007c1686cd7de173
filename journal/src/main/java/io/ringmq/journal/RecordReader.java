package io.ringmq.journal;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Presents the Chronicle document being read as an Agrona buffer: a view straight onto the mapped file, no copy.
 * <p>
 * Chronicle maps a queue file in chunks, each mapped with an overlap into the next. The journal caps a record at half
 * that overlap ({@link ChronicleJournal#maxRecordLength()}), so wherever a record starts it ends inside the same
 * mapping and one address covers it. A record that is not contiguous (a journal written by something else) is refused
 * rather than read past the end of a mapping.
 * <p>
 * Not thread-safe: one per reading call.
 */
final class RecordReader
{
    private static final byte[] EMPTY = new byte[0];

    private final UnsafeBuffer view = new UnsafeBuffer(EMPTY);

    /** The buffer the last {@link #wrap} returned. */
    DirectBuffer view()
    {
        return view;
    }

    /**
     * @param bytes the document's bytes, positioned at its first byte, limited at its last.
     * @return a buffer of exactly the record's length, valid until the document is closed or this is called again.
     * @throws IllegalStateException if the record is not contiguous in one mapping.
     */
    DirectBuffer wrap(final Bytes<?> bytes)
    {
        final long position = bytes.readPosition();
        final long length = bytes.readRemaining();
        if (0 == length)
        {
            view.wrap(EMPTY);
            return view;
        }

        if (length <= Integer.MAX_VALUE)
        {
            final long address = bytes.addressForRead(position, (int)length);
            if (bytes.bytesStore().inside(position, length))
            {
                view.wrap(address, (int)length);
                return view;
            }
        }
        throw new IllegalStateException(
            "journal record at file position " + position + " (" + length + " bytes) spans mapped chunks");
    }
}
