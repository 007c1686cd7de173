package io.ringmq.journal;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.QueryEncoder;
import io.ringmq.codecs.QueryKind;
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

    @Test
    void passesQueriesByAndKeepsTheLastJournaledLogSequence() throws Exception
    {
        final byte[] first = Records.command(1, 40, 1);
        final byte[] second = Records.command(2, 40, 2);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, "FAST_HOURLY"))
        {
            final JournalHandler handler = new JournalHandler(journal);
            handler.onStart();
            final CommandEvent event = new CommandEvent();
            event.set(1, 1_700_000_000_000_000_001L, 7, 0, Records.direct(first), CommandHeader.LENGTH, 40);
            handler.onEvent(event, 0, false);
            setQuery(event, 1); // takes the log sequence before it, as the ingress gives it
            handler.onEvent(event, 1, true);
            assertEquals(1, handler.journaledLogSequence(), "a batch ending in a query");
            event.set(2, 1_700_000_000_000_000_002L, 7, 0, Records.direct(second), CommandHeader.LENGTH, 40);
            handler.onEvent(event, 2, false);
            setQuery(event, 2);
            handler.onEvent(event, 3, true);
            handler.onShutdown();

            assertEquals(2, handler.journaledLogSequence());
            final long[] replayed = new long[1];
            Records.assertSameRecords(List.of(first, second), Records.replayAll(journal, replayed));
        }
    }

    private static void setQuery(final CommandEvent event, final long logSequence)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[128]);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new QueryEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .sessionId(1).correlationId(2).kind(QueryKind.QUEUES).count(0).name("orders*")
            .encodedLength();
        event.set(logSequence, 3, 7, 0, frame, 0, length);
        assertTrue(event.isQuery());
    }
}
