package io.ringmq.core.ring;

import io.ringmq.codecs.AckEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.QueryEncoder;
import io.ringmq.codecs.QueryKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whether a slot holds a query is read once as it is filled, and a reused slot never keeps its last command's. */
class CommandEventTest
{
    private final UnsafeBuffer query = new UnsafeBuffer(new byte[128]);
    private final UnsafeBuffer ack = new UnsafeBuffer(new byte[128]);
    private final int queryLength = MessageHeaderEncoder.ENCODED_LENGTH + new QueryEncoder()
        .wrapAndApplyHeader(query, 0, new MessageHeaderEncoder())
        .sessionId(1).correlationId(2).kind(QueryKind.QUEUES).count(0).name("orders*")
        .encodedLength();
    private final int ackLength = MessageHeaderEncoder.ENCODED_LENGTH + new AckEncoder()
        .wrapAndApplyHeader(ack, 0, new MessageHeaderEncoder())
        .sessionId(1).consumerId(3).sequence(4).attempt(1)
        .encodedLength();

    @Test
    void aReusedSlotTellsItsOwnCommand()
    {
        final CommandEvent event = new CommandEvent();
        event.set(1, 10, 7, 0, ack, 0, ackLength);
        assertFalse(event.isQuery());
        event.set(1, 11, 7, 0, query, 0, queryLength);
        assertTrue(event.isQuery());
        event.set(2, 12, 7, 0, ack, 0, ackLength);
        assertFalse(event.isQuery());
        assertEquals(2, event.logSequence());
    }

    @Test
    void theProducersAnswerIsTheFramesAnswer()
    {
        assertTrue(CommandEvent.isQuery(query, 0, queryLength));
        assertFalse(CommandEvent.isQuery(ack, 0, ackLength));
        assertFalse(CommandEvent.isQuery(query, 0, MessageHeaderEncoder.ENCODED_LENGTH - 1), "too short to be one");

        final CommandEvent event = new CommandEvent();
        event.set(1, 10, 7, 0, query, 0, queryLength, CommandEvent.isQuery(query, 0, queryLength));
        assertTrue(event.isQuery());
        event.set(2, 11, 7, 0, ack, 0, ackLength, CommandEvent.isQuery(ack, 0, ackLength));
        assertFalse(event.isQuery());
    }
}
