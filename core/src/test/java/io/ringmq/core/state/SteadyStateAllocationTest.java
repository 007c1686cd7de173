package io.ringmq.core.state;

import io.ringmq.core.protocol.Priority;
import io.ringmq.codecs.AckBatchEncoder;
import io.ringmq.codecs.AckEncoder;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NodeStartedEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.core.protocol.CommandHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publish → deliver → ack path of the state machine allocates nothing once warm, nor does settling with one
 * AckBatch what several publishes delivered, nor asking for the next deadline (as the dispatcher does after each
 * batch): commands are pre-encoded into reused buffers (only the fields that change are rewritten), the sink records
 * without allocating, and the allocated bytes of this thread are counted around the loop.
 */
class SteadyStateAllocationTest
{
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 200_000;
    /** Every message carries headers: they are copied into pooled messages and out to deliveries too. */
    private static final byte[] HEADERS = headers();
    /** Idempotent producers taking turns: each publish remembered by its producer and by its id. */
    private static final int PRODUCERS = 4;
    private static final String MESSAGE_ID = "id-00000";

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PublishEncoder publish = new PublishEncoder();
    private final AckEncoder ack = new AckEncoder();
    private final AckBatchEncoder ackBatch = new AckBatchEncoder();
    private final CountingSink sink = new CountingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private long logSequence;
    private long nowNs = 1_000_000_000_000L;
    private long nextDeadlineNs;

    @Test
    void publishesDeliveriesAndOneAckBatchAllocateNothingInSteadyState()
    {
        final int perBatch = 8;
        connectAndSubscribe();
        final int publishLength = MessageHeaderEncoder.ENCODED_LENGTH + publish
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(1).correlationId(0).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0).queue("orders")
            .putPayload(new byte[100], 0, 100).putHeaders(HEADERS, 0, HEADERS.length).messageId("").replyTo("").encodedLength();
        final UnsafeBuffer publishCommand = copy(publishLength);
        final int batchLength = MessageHeaderEncoder.ENCODED_LENGTH + AckBatchEncoder.BLOCK_LENGTH +
            AckBatchEncoder.EntriesEncoder.sbeHeaderSize() + perBatch * AckBatchEncoder.EntriesEncoder.sbeBlockLength();
        final UnsafeBuffer batchCommand = copy(batchLength); // encoded afresh each round

        runBatches(publishCommand, publishLength, batchCommand, batchLength, perBatch, WARM_UP / perBatch);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        runBatches(publishCommand, publishLength, batchCommand, batchLength, perBatch, MEASURED / perBatch);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals(WARM_UP + MEASURED, sink.delivered, "every publish was delivered");
        assertEquals(0, sink.errors, "no refusals");
        assertEquals(0, stateMachine.depth("orders"), "every delivery was acked");
        final double bytesPerCycle = (double)allocated / MEASURED;
        System.out.printf("state machine publish+deliver, AckBatch of %d: %.4f B/op (%d B over %d cycles)%n",
            perBatch, bytesPerCycle, allocated, MEASURED);
        assertTrue(bytesPerCycle < 1.0, "allocated " + allocated + " B over " + MEASURED + " cycles");
    }

    /** Each round publishes {@code perBatch} messages, then settles their deliveries with one AckBatch. */
    private void runBatches(
        final UnsafeBuffer publishCommand,
        final int publishLength,
        final UnsafeBuffer batchCommand,
        final int batchLength,
        final int perBatch,
        final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            for (int j = 0; j < perBatch; j++)
            {
                publish.wrap(publishCommand, CommandHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH)
                    .correlationId(i);
                applyCopy(publishCommand, publishLength);
            }
            final long first = sink.lastSequence - perBatch + 1;
            final AckBatchEncoder.EntriesEncoder entries = ackBatch
                .wrapAndApplyHeader(batchCommand, CommandHeader.LENGTH, header)
                .sessionId(1).consumerId(1).entriesCount(perBatch);
            for (int j = 0; j < perBatch; j++)
            {
                entries.next().sequence(first + j).attempt(1);
            }
            applyCopy(batchCommand, batchLength);
        }
    }

    private void connectAndSubscribe()
    {
        connectAndSubscribe("orders");
    }

    /** @param queue the queue, or a pattern of queues (then the consumer acks are for is the one it attaches). */
    private void connectAndSubscribe(final String queue)
    {
        apply(new NodeStartedEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .startTimestampNs(nowNs).defaultVisibilityTimeoutMs(30_000).defaultMaxAttempts(5)
            .maxSessions(0).maxQueues(0).maxConsumersPerSession(0).defaultMaxQueueBytes(0)
            .dedupWindowMs(3_600_000).maxDedupProducers(PRODUCERS).dedupIdWindowMs(3_600_000).maxDedupIds(1024)
            .encodedLength());
        apply(new ConnectEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .correlationId(1).responseStreamId(2).responseChannel("aeron:ipc").clientName("t").encodedLength());
        apply(new SubscribeEncoder().wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(1).correlationId(2).prefetch(64).visibilityTimeoutMs(0).createQueue(BooleanType.TRUE)
            .queue(queue).group("billing")
            .encodedLength());
    }

    /** Every publish carries headers, a producer (one of a few, each remembering its latest) and an id. */
    @Test
    void publishDeliverAckAllocatesNothingInSteadyState()
    {
        publishDeliverAckAllocatesNothing("orders", 1);
    }

    /** A wildcard subscription's deliveries are an ordinary consumer's: consumer 2, attached when orders is made. */
    @Test
    void aPatternsAttachedConsumerAllocatesNothingInSteadyState()
    {
        publishDeliverAckAllocatesNothing("*", 2);
    }

    private void publishDeliverAckAllocatesNothing(final String subscribedTo, final long consumerId)
    {
        connectAndSubscribe(subscribedTo);
        final int publishLength = MessageHeaderEncoder.ENCODED_LENGTH + publish
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(1).correlationId(0).producerId(1).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0).queue("orders")
            .putPayload(new byte[100], 0, 100).putHeaders(HEADERS, 0, HEADERS.length).messageId(MESSAGE_ID)
            .replyTo("").encodedLength();
        final UnsafeBuffer publishCommand = copy(publishLength);
        final int ackLength = MessageHeaderEncoder.ENCODED_LENGTH + ack
            .wrapAndApplyHeader(buffer, CommandHeader.LENGTH, header)
            .sessionId(1).consumerId(consumerId).sequence(0).attempt(1).encodedLength();
        final UnsafeBuffer ackCommand = copy(ackLength);

        runCycles(publishCommand, publishLength, ackCommand, ackLength, WARM_UP);

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        runCycles(publishCommand, publishLength, ackCommand, ackLength, MEASURED);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals(WARM_UP + MEASURED, sink.delivered, "every publish was delivered");
        assertEquals(0, sink.errors, "no refusals");
        assertEquals(0, stateMachine.depth("orders"), "every delivery was acked");
        assertEquals(Long.MAX_VALUE, nextDeadlineNs, "so nothing is due");
        assertEquals(WARM_UP + MEASURED - 1024, stateMachine.evictedMessageIds(), "ids remembered and forgotten");
        final double bytesPerCycle = (double)allocated / MEASURED;
        System.out.printf("state machine publish+deliver+ack: %.4f B/op (%d B over %d cycles)%n",
            bytesPerCycle, allocated, MEASURED);
        assertTrue(bytesPerCycle < 1.0, "allocated " + allocated + " B over " + MEASURED + " cycles");
    }

    private void runCycles(
        final UnsafeBuffer publishCommand,
        final int publishLength,
        final UnsafeBuffer ackCommand,
        final int ackLength,
        final int cycles)
    {
        for (int i = 0; i < cycles; i++)
        {
            publish.wrap(publishCommand, CommandHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH)
                .correlationId(i).producerId(1 + i % PRODUCERS).producerSequence(i).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0);
            // A new id each time: the id's last 4 bytes, before the empty replyTo (its 4-byte length) ends the frame.
            publishCommand.putInt(CommandHeader.LENGTH + publishLength - 2 * Integer.BYTES, i);
            applyCopy(publishCommand, publishLength);
            ack.wrap(ackCommand, CommandHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH)
                .sequence(sink.lastSequence);
            applyCopy(ackCommand, ackLength);
        }
    }

    private UnsafeBuffer copy(final int frameLength)
    {
        final UnsafeBuffer command = new UnsafeBuffer(ByteBuffer.allocateDirect(CommandHeader.LENGTH + frameLength));
        command.putBytes(0, buffer, 0, CommandHeader.LENGTH + frameLength);
        return command;
    }

    private void apply(final int bodyLength)
    {
        applyCopy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + bodyLength);
    }

    private void applyCopy(final UnsafeBuffer command, final int frameLength)
    {
        nowNs += 1_000; // a microsecond between commands: deadlines never come due
        CommandHeader.write(command, 0, ++logSequence, nowNs, 7);
        stateMachine.apply(command, 0, CommandHeader.LENGTH + frameLength);
        nextDeadlineNs = stateMachine.nextDeadlineNs();
    }

    private static byte[] headers()
    {
        final org.agrona.ExpandableArrayBuffer buffer = new org.agrona.ExpandableArrayBuffer(64);
        final byte[] value = "abc".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final int length = io.ringmq.core.protocol.HeadersLayout.put(buffer, 0,
            "trace".getBytes(java.nio.charset.StandardCharsets.UTF_8), io.ringmq.core.protocol.HeadersLayout.TEXT,
            new UnsafeBuffer(value), 0, value.length);
        return java.util.Arrays.copyOf(buffer.byteArray(), length);
    }

    /** Remembers what the test needs, allocating nothing. */
    private static final class CountingSink extends DiscardingOutputSink
    {
        long delivered;
        long lastSequence;
        long errors;

        public void onDeliver(final long s, final long consumerId, final int attempt, final MessageView message)
        {
            delivered++;
            lastSequence = message.sequence();
        }

        public void onError(final long s, final long c, final ErrorCode code, final String message)
        {
            errors++;
        }
    }
}
