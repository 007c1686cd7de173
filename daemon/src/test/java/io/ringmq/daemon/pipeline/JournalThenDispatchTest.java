package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ringmq.core.ring.CommandEvent;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The journal and the dispatcher on one thread keep the two-stage ring's order: a batch is journaled and committed
 * whole before any of it is dispatched, each command dispatched once from its own ring slot, the batch's end told to
 * the dispatcher on its last; a batch whose commit failed is not dispatched.
 */
class JournalThenDispatchTest
{
    private final List<String> calls = new ArrayList<>();
    private final CommandEvent[] ring = new CommandEvent[8];

    JournalThenDispatchTest()
    {
        for (int i = 0; i < ring.length; i++)
        {
            ring[i] = new CommandEvent();
            ring[i].set(i, 1, 1, 0, new UnsafeBuffer(new byte[8]), 0, 8);
        }
    }

    private final EventHandler<CommandEvent> journal = (event, sequence, endOfBatch) ->
    {
        calls.add("journal " + sequence);
        if (endOfBatch)
        {
            calls.add("commit " + sequence);
        }
    };

    private final EventHandler<CommandEvent> dispatcher = (event, sequence, endOfBatch) ->
        calls.add("dispatch " + sequence + " slot " + event.logSequence() + (endOfBatch ? " end" : ""));

    @Test
    void aBatchIsJournaledAndCommittedWholeBeforeAnyOfItIsDispatched() throws Exception
    {
        final JournalThenDispatch handler = new JournalThenDispatch(journal, dispatcher, (s) -> ring[(int)(s & 7)]);

        handler.onEvent(ring[6], 6, false);
        handler.onEvent(ring[7], 7, false);
        handler.onEvent(ring[0], 8, true); // the ring wrapped: sequence 8 is slot 0
        handler.onEvent(ring[1], 9, true);

        assertEquals(List.of(
            "journal 6", "journal 7", "journal 8", "commit 8",
            "dispatch 6 slot 6", "dispatch 7 slot 7", "dispatch 8 slot 0 end",
            "journal 9", "commit 9", "dispatch 9 slot 1 end"), calls);
    }

    @Test
    void aBatchWhoseCommitFailedIsNotDispatched()
    {
        final EventHandler<CommandEvent> failingCommit = (event, sequence, endOfBatch) ->
        {
            calls.add("journal " + sequence);
            if (endOfBatch)
            {
                throw new IllegalStateException("sync failed");
            }
        };
        final JournalThenDispatch handler =
            new JournalThenDispatch(failingCommit, dispatcher, (s) -> ring[(int)(s & 7)]);

        assertThrows(IllegalStateException.class, () ->
        {
            handler.onEvent(ring[1], 1, false);
            handler.onEvent(ring[2], 2, true);
        });
        assertEquals(List.of("journal 1", "journal 2"), calls);
    }

    @Test
    void theDispatcherStopsBeforeTheJournalsLastSync()
    {
        final List<String> order = new ArrayList<>();
        final JournalThenDispatch handler = new JournalThenDispatch(
            lifecycle("journal", order), lifecycle("dispatcher", order), (s) -> ring[(int)(s & 7)]);

        handler.onStart();
        handler.onShutdown();

        assertEquals(List.of("journal start", "dispatcher start", "dispatcher shutdown", "journal shutdown"), order);
    }

    private static EventHandler<CommandEvent> lifecycle(final String name, final List<String> order)
    {
        return new EventHandler<>()
        {
            public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch)
            {
            }

            public void onStart()
            {
                order.add(name + " start");
            }

            public void onShutdown()
            {
                order.add(name + " shutdown");
            }
        };
    }
}
