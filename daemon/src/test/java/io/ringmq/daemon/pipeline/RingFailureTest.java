package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.TickEncoder;
import io.ringmq.core.ring.CommandEvent;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ring handler that throws stops the ring the fail-stop way: nothing after the failed command is journaled or
 * applied, whoever runs the daemon is told once, naming the command, and the ring still drains, so a stop is bounded.
 * Over a real Disruptor shaped like the daemon's (journal, then dispatch).
 */
class RingFailureTest
{
    private static final int COMMANDS = 6;
    private static final long FAILING = 3;

    private final AtomicInteger told = new AtomicInteger();
    private final List<Throwable> recorded = new CopyOnWriteArrayList<>();
    private final RingFailure failure = new RingFailure(recorded::add, told::incrementAndGet);
    private final List<Long> journaled = new CopyOnWriteArrayList<>();
    private final List<Long> applied = new CopyOnWriteArrayList<>();
    private final Disruptor<CommandEvent> disruptor = new Disruptor<>(
        CommandEvent::new, 16, Thread::new, ProducerType.SINGLE, new YieldingWaitStrategy());

    @AfterEach
    void halt()
    {
        disruptor.halt();
    }

    @Test
    void aJournalThatCannotAppendStopsEverythingAfterIt() throws Exception
    {
        run(throwingAt(journaled), recording(applied));

        assertEquals(List.of(1L, 2L), journaled, "no gap: nothing journaled after the command it could not append");
        // The journal's batch ended in the failure, so it never synced: those before it in the batch are not applied
        // either (whether 1 and 2 came in that batch depends on timing).
        assertEquals(List.of(1L, 2L).subList(0, applied.size()), applied, "only what the journal committed");
        assertTold();
    }

    @Test
    void aDispatcherThatCannotApplyStopsApplyingAndJournaling() throws Exception
    {
        run(recording(journaled), throwingAt(applied));

        assertEquals(List.of(1L, 2L), applied);
        assertTrue(journaled.containsAll(List.of(1L, 2L, 3L)), journaled.toString());
        assertTold();
    }

    @Test
    void anAgentThatThrowsStopsTheRingTheSameWay() throws Exception
    {
        failure.agentFailed("the ingress agent", new IllegalStateException("broken"));
        failure.agentFailed("the ingress agent", new IllegalStateException("again"));

        run(recording(journaled), recording(applied));
        assertEquals(List.of(), journaled, "nothing journaled after the failure");
        assertEquals(List.of(), applied);
        assertEquals(1, told.get());
        assertEquals(List.of("broken", "again"), recorded.stream().map(Throwable::getMessage).toList(),
            "each failure recorded in the error log, the first and any after");
        assertTrue(failure.failure().startsWith("the ingress agent failed: java.lang.IllegalStateException: broken"));
    }

    private void run(final EventHandler<CommandEvent> journal, final EventHandler<CommandEvent> dispatch)
        throws Exception
    {
        disruptor.setDefaultExceptionHandler(failure);
        final AtomicLong passed = new AtomicLong();
        disruptor.handleEventsWith(failure.gate(journal)).then(failure.gate(dispatch))
            .then((event, sequence, endOfBatch) -> passed.set(event.logSequence()));
        final RingBuffer<CommandEvent> ring = disruptor.start();
        final UnsafeBuffer tick = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH]);
        new TickEncoder().wrapAndApplyHeader(tick, 0, new MessageHeaderEncoder());
        for (long logSequence = 1; logSequence <= COMMANDS; logSequence++)
        {
            final long slot = ring.next();
            ring.get(slot).set(logSequence, 0, 0, 0, tick, 0, tick.capacity());
            ring.publish(slot);
        }
        // Every command passes the ring although a handler threw (a stop drains it). Waited for here because a
        // shutdown right after start sees no backlog in handlers whose threads have not started yet.
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (passed.get() < COMMANDS)
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "the ring drains: " + passed.get());
            Thread.yield();
        }
        disruptor.shutdown(10, TimeUnit.SECONDS);
    }

    private void assertTold()
    {
        assertTrue(failure.hasFailed());
        assertEquals(1, told.get(), "told once, however many commands came after");
        assertEquals("no space left on device", recorded.get(0).getMessage(), "recorded in the error log");
        assertTrue(failure.failure().contains("log sequence " + FAILING + " (Tick, 8 bytes)"), failure.failure());
        assertFalse(failure.failure().contains("log sequence " + (FAILING + 1)));
    }

    private static EventHandler<CommandEvent> recording(final List<Long> into)
    {
        return (event, sequence, endOfBatch) -> into.add(event.logSequence());
    }

    private static EventHandler<CommandEvent> throwingAt(final List<Long> into)
    {
        return (event, sequence, endOfBatch) ->
        {
            if (FAILING == event.logSequence())
            {
                throw new IllegalStateException("no space left on device");
            }
            into.add(event.logSequence());
        };
    }
}
