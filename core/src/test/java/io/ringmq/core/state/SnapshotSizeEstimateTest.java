package io.ringmq.core.state;

import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.Commands;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimate a snapshot buffer is sized by is not below what the snapshot then takes, and not far above it. */
class SnapshotSizeEstimateTest
{
    @Test
    void theEstimateCoversTheSnapshotOfAStateWithMessagesInFlightAndDeadLetters()
    {
        final QueueStateMachine stateMachine = new QueueStateMachine(OutputSink.NONE);
        final Commands commands = new Commands(stateMachine);
        commands.nodeStarted(10_000, 2);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 2, "q", "g", 100);
        commands.subscribe(1, 3, "q", "h", 0);
        for (int i = 0; i < 5_000; i++)
        {
            commands.publish(1, 10 + i, "q", "message-" + "x".repeat(i % 300));
        }
        for (int sequence = 1; sequence <= 50; sequence++)
        {
            commands.nack(1, 1, sequence, 1, NackAction.REJECT);
        }
        commands.admin(1, 9, AdminAction.BROWSE, "q.dlq", "", 1);

        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final int length = stateMachine.writeSnapshot(buffer, 0);
        final long estimate = stateMachine.snapshotSizeEstimate();

        assertTrue(estimate >= length, "estimate " + estimate + " below the snapshot's " + length + " bytes");
        assertTrue(estimate <= 2L * length, "estimate " + estimate + " far above the snapshot's " + length + " bytes");
    }
}
