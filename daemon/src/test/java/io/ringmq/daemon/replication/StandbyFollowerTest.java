package io.ringmq.daemon.replication;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.ring.CommandEvent;
import io.ringmq.transport.replication.CatchUpAdapter;
import io.ringmq.transport.replication.CatchUpListener;
import io.ringmq.transport.replication.CatchUpRequester;
import io.ringmq.transport.replication.ReplicatedCommandSink;
import io.ringmq.transport.replication.ReplicationAdapter;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standby's ingress on its own: commands go on the ring as the primary stamped them, in log order only, from the
 * live stream or catch-up, whichever brings the next one.
 */
class StandbyFollowerTest
{
    private final RingBuffer<CommandEvent> ring = RingBuffer.createSingleProducer(CommandEvent::new, 4);
    private final Sequence consumed = new Sequence(-1);
    /** Where catch-up's commands go: the follower hands it to its catch-up adapter. */
    private ReplicatedCommandSink caughtUp;
    /** Recovered up to 10: the primary's next command is 11. */
    private final StandbyFollower follower = follower(() -> 77L, null);

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
        assertFalse(follower.isCatchingUp());
    }

    @Test
    void afterAGapCatchUpFillsItAndTheLiveStreamTakesOverAtTheNextLogSequence()
    {
        assertTrue(offer(11, 1));
        assertFalse(follower.isCatchingUp());
        assertTrue(offer(14, 1), "taken off the stream, not applied");
        assertTrue(follower.isCatchingUp());
        assertEquals(11, follower.lastLogSequence());
        assertEquals(0, ring.getCursor(), "nothing after the gap from the live stream");

        assertTrue(caughtUp(12), "catch-up brings the next one");
        assertTrue(caughtUp(14), "not the next: ignored (an older request's answer)");
        assertEquals(12, follower.lastLogSequence());
        assertTrue(caughtUp(13));
        consumed.set(1);
        assertTrue(caughtUp(14));
        assertFalse(follower.isCatchingUp(), "as far as the live stream had gone");
        assertTrue(offer(14, 1), "the live one it skipped, again: a duplicate");
        assertTrue(caughtUp(13), "catch-up behind: a duplicate");
        assertTrue(offer(15, 1), "the live stream goes on from the next log sequence");
        assertEquals(15, follower.lastLogSequence());
        assertEquals(3, follower.caughtUpCommands());
        assertEquals(4, ring.getCursor(), "11 to 15, each once");
        for (long slot = 1; slot <= 4; slot++) // slot 0 is slot 4 again in a ring of four
        {
            assertEquals(11 + slot, ring.get(slot).logSequence(), "in log order, without gap or duplicate");
        }
    }

    @Test
    void receivedCoversWhatIsOnTheRingAndJournaledWhatTheJournalPassed()
    {
        final long[] journalSequence = {-1};
        final StandbyFollower journaled = follower(() -> 0L, () -> journalSequence[0]);
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
    void aFramesCommandsArePublishedTogetherAtItsEnd()
    {
        follower.frameStart();
        assertTrue(offer(11, 1));
        assertTrue(offer(12, 1));
        assertTrue(offer(12, 1), "already taken, though not yet published: skipped");
        assertEquals(-1, ring.getCursor(), "claimed, not yet visible to the ring's handlers");
        assertEquals(10, follower.lastLogSequence(), "nothing is on the ring yet");
        assertEquals(10, follower.coveredLogSequence(), "mode received acks only what is on the ring");
        follower.frameEnd();
        assertEquals(1, ring.getCursor(), "both slots in one publish");
        assertEquals(12, follower.lastLogSequence());
        assertEquals(11, ring.get(0).logSequence());
        assertEquals(12, ring.get(1).logSequence());

        caughtUp.frameStart(); // a catch-up frame that meets a full ring: what was claimed goes at its end
        assertTrue(caughtUp(13));
        assertTrue(caughtUp(14));
        assertFalse(caughtUp(15), "four slots, none consumed");
        caughtUp.frameEnd();
        assertEquals(3, ring.getCursor(), "13 and 14 published, 15 left for the frame's next reading");
        assertEquals(14, follower.lastLogSequence());
        assertEquals(2, follower.caughtUpCommands());
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
        return follower.offer(command(logSequence, transportSessionId), 0, CommandHeader.LENGTH + 8);
    }

    private boolean caughtUp(final long logSequence)
    {
        return caughtUp.offer(command(logSequence, 1), 0, CommandHeader.LENGTH + 8);
    }

    private static UnsafeBuffer command(final long logSequence, final int transportSessionId)
    {
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandHeader.LENGTH + 8]);
        CommandHeader.write(command, 0, logSequence, 1_000L * logSequence, transportSessionId);
        return command;
    }

    /** A follower recovered up to 10, with no Aeron behind it: commands are offered to it directly. */
    private StandbyFollower follower(final NanoClock nanoClock, final LongSupplier journalSequence)
    {
        return new StandbyFollower(new StandbyFollower.Links()
        {
            public ReplicationAdapter live(final StandbyFollower follower)
            {
                return new ReplicationAdapter(null, follower);
            }

            public CatchUpAdapter catchUp(final ReplicatedCommandSink sink, final CatchUpListener listener)
            {
                caughtUp = sink;
                return new CatchUpAdapter(null, sink, listener);
            }

            public CatchUpRequester requester()
            {
                return new CatchUpRequester(null);
            }
        }, new SnapshotReceiver(null), ring, nanoClock, null, journalSequence, 10, (installed) -> {});
    }
}
