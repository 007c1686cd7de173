package io.ringmq.journal;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.ring.CommandEvent;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalHandlerTest
{
    @TempDir
    Path dir;

    @Test
    void journalsEveryEventInRingOrder() throws Exception
    {
        final int events = 20_000;
        final Random random = new Random(11);
        final List<byte[]> expected = new ArrayList<>(events);
        final ConcurrentLinkedQueue<Thread> commitThreads = new ConcurrentLinkedQueue<>();
        final AtomicLong batches = new AtomicLong();

        try (ChronicleJournal journal = ChronicleJournal.open(dir, "FAST_HOURLY"))
        {
            final Disruptor<CommandEvent> disruptor = new Disruptor<>(
                CommandEvent::new, 64, DaemonThreadFactory.INSTANCE, ProducerType.SINGLE, new SleepingWaitStrategy());
            disruptor.handleEventsWith(new JournalHandler(journal, (j, sequence) ->
            {
                commitThreads.add(Thread.currentThread());
                batches.incrementAndGet();
            }));
            final RingBuffer<CommandEvent> ring = disruptor.start();

            for (int i = 1; i <= events; i++)
            {
                // Mostly small frames, now and then one larger than the slot's initial capacity so slots grow.
                final int bodyLength = i % 500 == 0 ? 4096 : random.nextInt(200);
                final byte[] command = Records.command(i, bodyLength, i);
                expected.add(command);
                final UnsafeBuffer frame = new UnsafeBuffer(command);

                final long sequence = ring.next();
                try
                {
                    ring.get(sequence).set(i, 1_700_000_000_000_000_000L + i, 7, System.nanoTime(),
                        frame, CommandHeader.LENGTH, bodyLength);
                }
                finally
                {
                    ring.publish(sequence);
                }
            }
            disruptor.shutdown(10, TimeUnit.SECONDS);

            assertEquals(events, journal.lastLogSequence());
            final long[] replayed = new long[1];
            Records.assertSameRecords(expected, Records.replayAll(journal, replayed));
            assertEquals(events, replayed[0]);
        }

        assertTrue(batches.get() >= 1, "end of batch reached the commit seam");
        assertTrue(commitThreads.stream().allMatch(t -> t == commitThreads.peek()), "one writer thread");
        assertTrue(commitThreads.peek() != Thread.currentThread(), "commit ran on the handler thread");

        try (ChronicleJournal reopened = ChronicleJournal.open(dir, "FAST_HOURLY"))
        {
            final long[] replayed = new long[1];
            Records.assertSameRecords(expected, Records.replayAll(reopened, replayed));
        }
    }
}
