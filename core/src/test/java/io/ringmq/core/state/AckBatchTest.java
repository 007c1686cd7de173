package io.ringmq.core.state;

import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An AckBatch is the same as its Acks one after another at the same time: the same outputs in the same order and the
 * same state, whatever the entries name. Each case runs one machine with the batch and one with the Acks and compares
 * them, then checks what the outputs are.
 */
class AckBatchTest
{
    private final Twin batched = new Twin();
    private final Twin oneByOne = new Twin();

    @Test
    void settlesEveryEntryAndDeliversWhatTheFreedRoomTakes()
    {
        both((c) ->
        {
            c.connect(1, "aeron:ipc", 2001);
            c.subscribe(1, 2, "q", "g", 3);
            publish(c, 5);
        });

        batched.commands.ackBatch(1, 1, d(1, 1), d(2, 1), d(3, 1));
        acks(1, 1, d(1, 1), d(2, 1), d(3, 1));

        final List<String> outputs = assertSame();
        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=4 attempt=1 payload=m4",
            "deliver session=1 consumer=1 seq=5 attempt=1 payload=m5"), outputs);
        assertEquals(2, batched.machine.depth("q"));
        assertEquals(2, batched.machine.inFlight("q", "g"));
    }

    @Test
    void staleEntriesGetTheirErrorInPlaceAndTheOthersStillApply()
    {
        both((c) ->
        {
            c.connect(1, "aeron:ipc", 2001);
            c.subscribe(1, 2, "q", "g", 2);
            publish(c, 4);
        });

        // 1/1 settles; 1/1 again is stale (settled); 2/2 is stale (wrong attempt); 2/1 settles.
        batched.commands.ackBatch(1, 1, d(1, 1), d(1, 1), d(2, 2), d(2, 1));
        acks(1, 1, d(1, 1), d(1, 1), d(2, 2), d(2, 1));

        final List<String> outputs = assertSame();
        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=m3",
            "error session=1 corr=0 STALE_DELIVERY",
            "error session=1 corr=0 STALE_DELIVERY",
            "deliver session=1 consumer=1 seq=4 attempt=1 payload=m4"), outputs);
        assertEquals(2, batched.machine.depth("q"));
    }

    @Test
    void anEntryMayNameTheDeliveryTheEntriesBeforeItBrought()
    {
        both((c) ->
        {
            c.connect(1, "aeron:ipc", 2001);
            c.subscribe(1, 2, "q", "g", 1);
            publish(c, 3);
        });

        // Prefetch 1: only 1 is in flight, but acking it delivers 2, which the next entry then settles.
        batched.commands.ackBatch(1, 1, d(1, 1), d(2, 1));
        acks(1, 1, d(1, 1), d(2, 1));

        final List<String> outputs = assertSame();
        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=m2",
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=m3"), outputs);
        assertEquals(1, batched.machine.depth("q"));
    }

    @Test
    void aBatchSettlesOnlyItsConsumersGroup()
    {
        both((c) ->
        {
            c.connect(1, "aeron:ipc", 2001);
            c.subscribe(1, 2, "q", "g1", 1); // consumer 1: has 1
            c.subscribe(1, 3, "q", "g2", 3); // consumer 2: has 1, 2, 3
            publish(c, 3);
        });

        // Consumer 1 names 3, which is in flight in g2 (to consumer 2), not to consumer 1: stale, after the delivery
        // its ack of 1 brought.
        batched.commands.ackBatch(1, 1, d(1, 1), d(3, 1));
        acks(1, 1, d(1, 1), d(3, 1));
        batched.commands.ackBatch(1, 2, d(1, 1), d(3, 1));
        acks(1, 2, d(1, 1), d(3, 1));

        final List<String> outputs = assertSame();
        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=m2",
            "error session=1 corr=0 STALE_DELIVERY"), outputs);
        assertEquals(1, batched.machine.inFlight("q", "g1"));
        assertEquals(1, batched.machine.inFlight("q", "g2"));
        assertEquals(2, batched.machine.depth("q"), "1 settled by both groups; 2 and 3 still needed by one");
    }

    @Test
    void competingConsumersOfOneGroupGetWhatOneAckAtATimeWouldGive()
    {
        both((c) ->
        {
            c.connect(1, "aeron:ipc", 2001);
            c.subscribe(1, 2, "q", "g", 2); // consumer 1
            c.subscribe(1, 3, "q", "g", 1); // consumer 2
            publish(c, 6);
        });

        batched.commands.ackBatch(1, 1, d(1, 1), d(3, 1));
        acks(1, 1, d(1, 1), d(3, 1));
        batched.commands.ackBatch(1, 2, d(2, 1));
        acks(1, 2, d(2, 1));

        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=4 attempt=1 payload=m4",
            "deliver session=1 consumer=1 seq=5 attempt=1 payload=m5",
            "deliver session=1 consumer=2 seq=6 attempt=1 payload=m6"), assertSame());
    }

    @Test
    void unknownConsumerIsRefusedForEachEntryAndAnUnknownSessionIgnoredAsTheAcksWouldBe()
    {
        both((c) ->
        {
            c.connect(1, "aeron:ipc", 2001);
            c.subscribe(1, 2, "q", "g", 2);
            publish(c, 2);
        });

        batched.commands.ackBatch(1, 9, d(1, 1), d(2, 1));
        acks(1, 9, d(1, 1), d(2, 1));
        batched.commands.ackBatch(5, 1, d(1, 1));
        acks(5, 1, d(1, 1));

        assertEquals(List.of(
            "error session=1 corr=0 UNKNOWN_CONSUMER",
            "error session=1 corr=0 UNKNOWN_CONSUMER"), assertSame());
        assertEquals(2, batched.machine.inFlight("q", "g"));
    }

    private static long[] d(final long sequence, final int attempt)
    {
        return new long[]{sequence, attempt};
    }

    private void both(final Consumer<Commands> setUp)
    {
        setUp.accept(batched.commands);
        setUp.accept(oneByOne.commands);
        batched.sink.drain();
        oneByOne.sink.drain();
    }

    private static void publish(final Commands commands, final int count)
    {
        for (int i = 1; i <= count; i++)
        {
            commands.publish(1, 100 + i, "q", "m" + i);
        }
    }

    private void acks(final long sessionId, final long consumerId, final long[]... entries)
    {
        for (final long[] entry : entries)
        {
            oneByOne.commands.ack(sessionId, consumerId, entry[0], (int)entry[1]);
        }
    }

    /** @return the outputs since the set-up, the same on both machines, as is the state. */
    private List<String> assertSame()
    {
        final List<String> outputs = batched.sink.drain();
        assertEquals(oneByOne.sink.drain(), outputs, "outputs of the batch and of its acks one by one");
        assertEquals(oneByOne.stateWithoutLogSequence(), batched.stateWithoutLogSequence());
        return outputs;
    }

    /** A machine with its own commands; every command is applied at the same time (the clock never moves). */
    private static final class Twin
    {
        final RecordingSink sink = new RecordingSink();
        final QueueStateMachine machine = new QueueStateMachine(sink);
        final Commands commands = new Commands(machine);

        /** The state, less the log sequence: a batch is one command where its acks are several. */
        String stateWithoutLogSequence()
        {
            return machine.describeState().replaceFirst("log sequence=\\d+", "");
        }
    }
}
