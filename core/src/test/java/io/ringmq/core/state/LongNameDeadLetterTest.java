package io.ringmq.core.state;

import io.ringmq.codecs.NackAction;
import io.ringmq.core.protocol.Names;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Trial B, finding 5: every queue the daemon makes can be named. The dead-letter queue of a queue of the longest name
 * can be subscribed to; its own dead letters, whose default queue would break the name rule, are dropped instead of
 * going to a queue nothing could name.
 */
class LongNameDeadLetterTest
{
    private static final String LONGEST = "q".repeat(Names.MAX_LENGTH);
    private static final String ITS_DLQ = LONGEST + ".dlq";

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connected()
    {
        commands.nodeStarted();
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();
    }

    @Test
    void theDeadLetterQueueOfTheLongestNameCanBeConsumedAndDeadLettersNoFurther()
    {
        commands.subscribe(1, 10, LONGEST, "g", 1);
        commands.publish(1, 11, LONGEST, "a");
        commands.nack(1, 1, 1, 1, NackAction.REJECT);
        assertEquals(List.of(LONGEST, ITS_DLQ), stateMachine.queueNames());
        sink.drain();

        commands.subscribe(1, 12, ITS_DLQ, "g", 1);
        assertEquals("subscribed session=1 corr=12 consumer=2", sink.drain().get(0));
        commands.nack(1, 2, 1, 1, NackAction.REJECT);

        assertEquals(List.of(LONGEST, ITS_DLQ), stateMachine.queueNames(), "no queue of a name past the rule");
    }
}
