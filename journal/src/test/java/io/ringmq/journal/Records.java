package io.ringmq.journal;

import io.ringmq.core.protocol.CommandHeader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Builds test commands (header plus a pseudo-random body) and checks replayed ones against them. */
final class Records
{
    private Records()
    {
    }

    /** A command: header with this log sequence and timestamp, then {@code bodyLength} bytes derived from the seed. */
    static byte[] command(final long logSequence, final int bodyLength, final long seed)
    {
        final byte[] bytes = new byte[CommandHeader.LENGTH + bodyLength];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        CommandHeader.write(buffer, 0, logSequence, 1_700_000_000_000_000_000L + logSequence, 7);
        final Random random = new Random(seed);
        for (int i = CommandHeader.LENGTH; i < bytes.length; i++)
        {
            bytes[i] = (byte)random.nextInt();
        }
        return bytes;
    }

    /** Off-heap copy, the way commands sit in the ring. */
    static UnsafeBuffer direct(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(1, bytes.length)));
        buffer.putBytes(0, bytes);
        return buffer;
    }

    /** Replays the journal, copying each record out (the buffer is valid only during the callback). */
    static List<byte[]> replayAll(final ChronicleJournal journal, final long[] count)
    {
        final List<byte[]> records = new ArrayList<>();
        count[0] = journal.replay((buffer, offset, length) -> records.add(copy(buffer, offset, length)));
        return records;
    }

    static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    static void assertSameRecords(final List<byte[]> expected, final List<byte[]> actual)
    {
        assertEquals(expected.size(), actual.size(), "record count");
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i), actual.get(i), "record " + i);
        }
    }
}
