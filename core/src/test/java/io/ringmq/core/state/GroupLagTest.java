package io.ringmq.core.state;

import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.StartPoint;
import io.ringmq.core.protocol.HeadersLayout;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A group's lag is what it still has to settle (README, Monitoring): not the messages its filter refused, nor those
 * before the place it was declared to start, whether or not a consumer has attached yet.
 */
class GroupLagTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);
    private final QueueFigures figures = new QueueFigures();

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(10_000, 2);
        commands.connect(1, "aeron:ipc", 2001);
    }

    @Test
    void aFilteredGroupDoesNotCountWhatItsFilterRefusedAfterAMessageItTakes()
    {
        commands.declareGroup(1, 2, "fq", "all", DispatchStrategy.DEFAULT, "");
        commands.declareGroupWithFilter(1, 3, "fq", "eu", "region=eu");
        publish(10, "fq", "region", "eu");
        publish(11, "fq", "region", "us");
        publish(12, "fq", "region", "us");

        assertEquals(2, stateMachine.filtered("fq", "eu"));
        assertEquals(1, lag("fq", "eu"), "one message left to settle: the eu one");
        assertEquals(3, lag("fq", "all"));
    }

    @Test
    void aGroupDeclaredToStartLaterDoesNotCountWhatIsBeforeItsStart()
    {
        commands.declareGroup(1, 2, "lg", "a", DispatchStrategy.DEFAULT, ""); // holds the messages, no consumer
        for (int i = 0; i < 5; i++)
        {
            commands.publish(1, 10 + i, "lg", "m" + i);
        }
        commands.declareGroupStartingAt(1, 20, "lg", "late", StartPoint.NEWEST, 0);
        commands.declareGroupStartingAt(1, 21, "lg", "mid", StartPoint.SEQUENCE, 4);

        assertEquals(5, lag("lg", "a"));
        assertEquals(0, lag("lg", "late"), "starts after everything held");
        assertEquals(2, lag("lg", "mid"), "seqs 4 and 5");

        commands.publish(1, 30, "lg", "m5");
        assertEquals(1, lag("lg", "late"));
        assertEquals(3, lag("lg", "mid"));
    }

    private long lag(final String queue, final String group)
    {
        for (int q = 0; q < stateMachine.queueCount(); q++)
        {
            stateMachine.queueFigures(q, figures);
            if (figures.name().equals(queue))
            {
                for (int g = 0; g < figures.groupCount(); g++)
                {
                    if (figures.groupName(g).equals(group))
                    {
                        return figures.groupLag(g);
                    }
                }
            }
        }
        throw new AssertionError(queue + "/" + group);
    }

    private void publish(final long correlationId, final String queue, final String... keysAndValues)
    {
        final ExpandableArrayBuffer headers = new ExpandableArrayBuffer(64);
        int length = 0;
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            final byte[] value = keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8);
            length = HeadersLayout.put(headers, length, keysAndValues[i].getBytes(StandardCharsets.UTF_8),
                HeadersLayout.TEXT, new UnsafeBuffer(value), 0, value.length);
        }
        commands.publish(1, correlationId, queue, "p" + correlationId, 0, 0,
            Arrays.copyOf(headers.byteArray(), length), "");
    }
}
