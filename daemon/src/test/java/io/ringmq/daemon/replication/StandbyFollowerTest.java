package io.ringmq.daemon.replication;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.transport.replication.ReplicationAdapter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standby's ingress on its own: commands go on the ring as the primary stamped them, in log order only. */
class StandbyFollowerTest
{
    private final RingBuffer<CommandEvent> ring = RingBuffer.createSingleProducer(CommandEvent::new, 4);
    private final Sequence consumed = new Sequence(-1);
    /** Recovered up to 10: the primary's next command is 11. */
    private final StandbyFollower follower = new StandbyFollower(
        (sink) -> new ReplicationAdapter(null, sink), ring, () -> 77L, null, null, 10);

    StandbyFollowerTest()
    {
        ring.addGatingSequences(consumed);
    }

    @Test
    void aCommandGoesOnTheRingWithThePrimarysHeader()
    {
        assertTrue(offer(11, 5));
        final CommandEvent event = ring.get(0);
        assertEquals(11, event.logSequence());
        assertEquals(11_000, CommandHeader.timestampNs(event.buffer(), 0), "the primary's time, not the standby's");
        assertEquals(5, CommandHeader.transportSessionId(event.buffer(), 0));
        assertEquals(CommandHeader.LENGTH + 8, event.length());
        assertEquals(77L, event.ingressNanoTime());
        assertEquals(11, follower.lastLogSequence());
    }

    @Test
    void aCommandAlreadyTakenIsSkipped()
    {
        assertTrue(offer(11, 1));
        assertTrue(offer(12, 1));
        assertTrue(offer(11, 1), "a batch read again after the ring was full");
        assertEquals(1, ring.getCursor(), "two slots published, not three");
        assertEquals(0, follower.refusedAtLogSequence());
    }

    @Test
    void aGapStopsTheStandbyBeforeIt()
    {
        assertTrue(offer(11, 1));
        assertTrue(offer(13, 1), "taken off the stream, not applied");
        assertEquals(13, follower.refusedAtLogSequence());
        assertTrue(offer(12, 1));
        assertEquals(0, ring.getCursor(), "nothing after the gap, not even the missing one arriving late");
        assertEquals(11, follower.lastLogSequence());
    }

    @Test
    void receivedCoversWhatIsOnTheRingAndJournaledWhatTheJournalPassed()
    {
        final long[] journalSequence = {-1};
        final StandbyFollower journaled = new StandbyFollower(
            (sink) -> new ReplicationAdapter(null, sink), ring, () -> 0L, null, () -> journalSequence[0], 10);
        assertEquals(10, journaled.coveredLogSequence(), "what it recovered, before the journal passed anything");
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandHeader.LENGTH]);
        CommandHeader.write(command, 0, 11, 0, 0);
        journaled.offer(command, 0, command.capacity());
        CommandHeader.write(command, 0, 12, 0, 0);
        journaled.offer(command, 0, command.capacity());
        assertEquals(10, journaled.coveredLogSequence(), "on the ring is not journaled");
        journalSequence[0] = 0; // ring slot 0 holds log sequence 11
        assertEquals(11, journaled.coveredLogSequence());

        assertTrue(offer(11, 1));
        assertEquals(11, follower.coveredLogSequence(), "mode received: on the ring is enough");
    }

    @Test
    void aFullRingLeavesTheCommandForTheNextPoll()
    {
        for (long logSequence = 11; logSequence <= 14; logSequence++)
        {
            assertTrue(offer(logSequence, 1));
        }
        assertFalse(offer(15, 1), "four slots, none consumed");
        consumed.set(0);
        assertTrue(offer(15, 1));
        assertEquals(15, follower.lastLogSequence());
    }

    private boolean offer(final long logSequence, final int transportSessionId)
    {
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandHeader.LENGTH + 8]);
        CommandHeader.write(command, 0, logSequence, 1_000L * logSequence, transportSessionId);
        return follower.offer(command, 0, command.capacity());
    }
}
