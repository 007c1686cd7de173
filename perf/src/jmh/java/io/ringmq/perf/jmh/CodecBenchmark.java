package io.ringmq.perf.jmh;

import io.ringmq.core.protocol.Priority;
import io.ringmq.codecs.DeliverDecoder;
import io.ringmq.codecs.DeliverEncoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.PublishDecoder;
import io.ringmq.codecs.PublishEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Encode and decode of the two hot frames, Publish (client → daemon) and Deliver (daemon → client), with the
 * flyweights reused as the client and the daemon reuse them. Run with {@code -prof gc}: each should show 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class CodecBenchmark
{
    @Param({"100"})
    int payloadBytes;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final UnsafeBuffer queueName = new UnsafeBuffer("orders".getBytes(StandardCharsets.US_ASCII));
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PublishEncoder publishEncoder = new PublishEncoder();
    private final PublishDecoder publishDecoder = new PublishDecoder();
    private final DeliverEncoder deliverEncoder = new DeliverEncoder();
    private final DeliverDecoder deliverDecoder = new DeliverDecoder();
    private final UnsafeBuffer readPayload = new UnsafeBuffer(0, 0);
    private UnsafeBuffer payload;
    private UnsafeBuffer encodedPublish;
    private UnsafeBuffer encodedDeliver;
    private long correlationId;

    @Setup
    public void setUp()
    {
        payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadBytes));
        encodedPublish = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        encodedDeliver = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        new PublishEncoder().wrapAndApplyHeader(encodedPublish, 0, new MessageHeaderEncoder())
            .sessionId(7).correlationId(42).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
            .putQueue(queueName, 0, queueName.capacity())
            .putPayload(payload, 0, payloadBytes).putHeaders(payload, 0, 0).putMessageId(payload, 0, 0);
        new DeliverEncoder().wrapAndApplyHeader(encodedDeliver, 0, new MessageHeaderEncoder())
            .consumerId(3).sequence(42).attempt(1).publishTimestampNs(123_456_789L).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .deadLetterReason(io.ringmq.codecs.DeadLetterReason.NONE).deadLetterAttempts(0)
            .putPayload(payload, 0, payloadBytes).sourceQueue(null).sourceGroup(null).putHeaders(payload, 0, 0)
            .putMessageId(payload, 0, 0);
    }

    @Benchmark
    public int encodePublish()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + publishEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(7)
            .correlationId(++correlationId)
            .producerId(0)
            .producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
            .putQueue(queueName, 0, queueName.capacity())
            .putPayload(payload, 0, payloadBytes)
            .putHeaders(payload, 0, 0)
            .putMessageId(payload, 0, 0)
            .replyTo("").encodedLength();
    }

    @Benchmark
    public long decodePublish()
    {
        publishDecoder.wrapAndApplyHeader(encodedPublish, 0, headerDecoder);
        long result = publishDecoder.sessionId() + publishDecoder.correlationId();
        result += publishDecoder.queueLength();
        publishDecoder.skipQueue();
        publishDecoder.wrapPayload(readPayload);
        return result + readPayload.capacity();
    }

    @Benchmark
    public int encodeDeliver()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + deliverEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .consumerId(3)
            .sequence(++correlationId)
            .attempt(1)
            .publishTimestampNs(correlationId)
            .producerId(0)
            .producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .deadLetterReason(io.ringmq.codecs.DeadLetterReason.NONE)
            .deadLetterAttempts(0)
            .putPayload(payload, 0, payloadBytes)
            .sourceQueue(null)
            .sourceGroup(null)
            .putHeaders(payload, 0, 0)
            .putMessageId(payload, 0, 0)
            .encodedLength();
    }

    @Benchmark
    public long decodeDeliver()
    {
        deliverDecoder.wrapAndApplyHeader(encodedDeliver, 0, headerDecoder);
        final long result = deliverDecoder.consumerId() + deliverDecoder.sequence() + deliverDecoder.attempt() +
            deliverDecoder.publishTimestampNs();
        deliverDecoder.wrapPayload(readPayload);
        return result + readPayload.capacity();
    }
}
