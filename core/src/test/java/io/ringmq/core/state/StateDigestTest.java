package io.ringmq.core.state;

import io.ringmq.codecs.EpochStartedEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.testing.Commands;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The state digest two nodes compare: machines fed the same commands have the same digest, one command apart they
 * differ, and the digest is the state's (a machine restored from a snapshot has it) whatever chunks carried it.
 */
class StateDigestTest
{
    private final StateDigest digest = new StateDigest();

    @Test
    void machinesFedTheSameCommandsHaveTheSameDigest()
    {
        final QueueStateMachine primary = machine(StateDigestTest::traffic);
        final QueueStateMachine standby = machine(StateDigestTest::traffic);

        assertEquals(primary.lastLogSequence(), standby.lastLogSequence());
        assertEquals(primary.digest(digest), standby.digest(digest));
        assertEquals(primary.digest(digest), primary.digest(digest), "reading the state changes nothing");
    }

    @Test
    void oneDifferentCommandGivesADifferentDigest()
    {
        final QueueStateMachine primary = machine(StateDigestTest::traffic);
        final QueueStateMachine acked = machine((commands) ->
        {
            traffic(commands);
            commands.ack(1, 1, 3, 1);
        });
        final QueueStateMachine otherPayload = machine((commands) -> traffic(commands, 17));

        assertNotEquals(primary.digest(digest), acked.digest(digest));
        assertNotEquals(primary.digest(digest), otherPayload.digest(digest));
        assertEquals(primary.lastLogSequence(), otherPayload.lastLogSequence(), "same length, one payload apart");
    }

    @Test
    void aRestoredStateHasTheDigestOfTheStateItWasTakenFrom()
    {
        final QueueStateMachine original = machine(StateDigestTest::traffic);
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final int length = original.writeSnapshot(snapshot, 0);
        final QueueStateMachine restored = QueueStateMachine.fromSnapshot(snapshot, 0, length, OutputSink.NONE);

        assertEquals(original.digest(digest), restored.digest(digest));
    }

    @Test
    void theDigestDoesNotDependOnHowTheBytesAreCutIntoChunks()
    {
        final byte[] bytes = new byte[1000];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }
        digest.reset();
        digest.onChunk(new UnsafeBuffer(bytes), bytes.length);
        final long whole = digest.value();

        digest.reset();
        for (int offset = 0; offset < bytes.length; offset += 13)
        {
            final int chunk = Math.min(13, bytes.length - offset);
            digest.onChunk(new UnsafeBuffer(bytes, offset, chunk), chunk);
        }
        assertEquals(whole, digest.value());
    }

    @Test
    void anEpochStartedRaisesTheEpochWhichSnapshotsKeepAndTheDigestCovers()
    {
        final QueueStateMachine before = machine(StateDigestTest::traffic);
        final QueueStateMachine promoted = machine(StateDigestTest::traffic);
        assertEquals(1, promoted.epoch(), "a journal without an EpochStarted is in epoch 1");

        final long first = promoted.lastLogSequence() + 1;
        applyEpochStarted(promoted, 2, first);
        applyEpochStarted(promoted, 1, first + 1); // an older epoch never comes back

        assertEquals(2, promoted.epoch());
        assertEquals(first, promoted.epochFirstLogSequence());
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final int length = promoted.writeSnapshot(snapshot, 0);
        final QueueStateMachine restored = QueueStateMachine.fromSnapshot(snapshot, 0, length, OutputSink.NONE);
        assertEquals(2, restored.epoch());
        assertEquals(first, restored.epochFirstLogSequence());
        assertNotEquals(before.digest(digest), restored.digest(digest));
        assertEquals(promoted.digest(digest), restored.digest(digest));
    }

    private static void applyEpochStarted(final QueueStateMachine machine, final long epoch, final long logSequence)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + new EpochStartedEncoder()
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, new MessageHeaderEncoder())
            .epoch(epoch)
            .firstLogSequence(logSequence)
            .encodedLength();
        CommandHeader.write(buffer, 0, logSequence, machine.lastTimestampNs(), 0);
        machine.apply(buffer, 0, CommandHeader.LENGTH + frameLength);
    }

    private static QueueStateMachine machine(final Consumer<Commands> feed)
    {
        final QueueStateMachine machine = new QueueStateMachine(OutputSink.NONE);
        feed.accept(new Commands(machine));
        return machine;
    }

    private static void traffic(final Commands commands)
    {
        traffic(commands, -1);
    }

    /** The same traffic, with message {@code changed}'s payload one byte apart. */
    private static void traffic(final Commands commands, final int changed)
    {
        commands.nodeStarted(10_000, 3);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 2, "orders", "billing", 100);
        for (int i = 0; i < 40; i++)
        {
            commands.publish(1, 10 + i, "orders", (changed == i ? "Order-" : "order-") + i);
        }
        commands.ack(1, 1, 1, 1);
        commands.tickAfterMs(50);
    }
}
