package io.ringmq.perf.jmh;

import io.ringmq.codecs.AckEncoder;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.DeclareGroupEncoder;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.StartPoint;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NodeStartedEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.HeadersLayout;
import io.ringmq.core.protocol.Priority;
import io.ringmq.core.state.QueueStateMachine;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * {@link StateMachineBenchmark}'s publish+deliver+ack (inFlight 1024) through a group declared with a header filter
 * ({@code region=eu && price>=100}, schema version 9). Every message carries {@code region} and {@code price}
 * headers. {@code filter}: {@code none} (the group has no filter: the figure to compare with), {@code match} (it has
 * one, and every message matches it), {@code matchAndRefuse} (each op also publishes a message the filter refuses,
 * settled at its publish and gone). One op = one ack + the publish(es). Should show 0 B/op with {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class FilteredGroupBenchmark
{
    private static final int PAYLOAD_BYTES = 100;
    private static final int IN_FLIGHT = 1024;
    private static final String FILTER = "region=eu && price>=100";

    @Param({"none", "match", "matchAndRefuse"})
    String filter;

    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PublishEncoder publish = new PublishEncoder();
    private final AckEncoder ack = new AckEncoder();
    private final StateMachineBenchmark.LastDeliverySink sink = new StateMachineBenchmark.LastDeliverySink();
    private QueueStateMachine stateMachine;
    private UnsafeBuffer matchingPublish;
    private UnsafeBuffer refusedPublish;
    private int matchingLength;
    private int refusedLength;
    private UnsafeBuffer ackCommand;
    private int ackLength;
    private long logSequence;
    private long nowNs;
    private boolean refuseToo;

    @Setup(Level.Trial)
    public void setUp()
    {
        stateMachine = new QueueStateMachine(sink);
        nowNs = 1_000_000_000_000L;
        apply(scratch, MessageHeaderEncoder.ENCODED_LENGTH + new NodeStartedEncoder()
            .wrapAndApplyHeader(scratch, CommandHeader.LENGTH, header)
            .startTimestampNs(nowNs).defaultVisibilityTimeoutMs(30_000).defaultMaxAttempts(5)
            .maxSessions(0).maxQueues(0).maxConsumersPerSession(0).defaultMaxQueueBytes(0)
            .dedupWindowMs(0).maxDedupProducers(0).dedupIdWindowMs(0).maxDedupIds(0).encodedLength());
        apply(scratch, MessageHeaderEncoder.ENCODED_LENGTH + new ConnectEncoder()
            .wrapAndApplyHeader(scratch, CommandHeader.LENGTH, header)
            .correlationId(1).responseStreamId(2).responseChannel("aeron:ipc").clientName("jmh").encodedLength());
        apply(scratch, MessageHeaderEncoder.ENCODED_LENGTH + new DeclareGroupEncoder()
            .wrapAndApplyHeader(scratch, CommandHeader.LENGTH, header)
            .sessionId(1).correlationId(2).strategy(DispatchStrategy.DEFAULT)
            .start(StartPoint.OLDEST_UNCONSUMED).startValue(0).queue("orders").group("billing")
            .deadLetterQueue("").filter("none".equals(filter) ? "" : FILTER).encodedLength());
        apply(scratch, MessageHeaderEncoder.ENCODED_LENGTH + new SubscribeEncoder()
            .wrapAndApplyHeader(scratch, CommandHeader.LENGTH, header)
            .sessionId(1).correlationId(3).prefetch(IN_FLIGHT).visibilityTimeoutMs(0).createQueue(BooleanType.TRUE)
            .queue("orders").group("billing").encodedLength());

        final byte[] matching = headers("eu", "150");
        matchingLength = encodePublish(matching);
        matchingPublish = copyOfScratch(matchingLength);
        final byte[] refused = headers("us", "150");
        refusedLength = encodePublish(refused);
        refusedPublish = copyOfScratch(refusedLength);
        ackLength = MessageHeaderEncoder.ENCODED_LENGTH + ack
            .wrapAndApplyHeader(scratch, CommandHeader.LENGTH, header)
            .sessionId(1).consumerId(1).sequence(0).attempt(1).encodedLength();
        ackCommand = copyOfScratch(ackLength);

        refuseToo = "matchAndRefuse".equals(filter);
        sink.keep(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++)
        {
            apply(matchingPublish, matchingLength);
        }
        if (sink.delivered != IN_FLIGHT)
        {
            throw new IllegalStateException("set-up delivered " + sink.delivered + " of " + IN_FLIGHT);
        }
    }

    @TearDown(Level.Trial)
    public void checkNothingWasRefused()
    {
        if (sink.errors > 0)
        {
            throw new IllegalStateException("the state machine refused " + sink.errors + " commands");
        }
        if (refuseToo && stateMachine.filtered("orders", "billing") == 0)
        {
            throw new IllegalStateException("the filter refused nothing");
        }
    }

    @Benchmark
    public long publishDeliverAck()
    {
        ack.wrap(ackCommand, CommandHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH).sequence(sink.takeOldest());
        apply(ackCommand, ackLength);
        if (refuseToo)
        {
            apply(refusedPublish, refusedLength);
        }
        apply(matchingPublish, matchingLength);
        return sink.lastSequence;
    }

    private int encodePublish(final byte[] headers)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + publish
            .wrapAndApplyHeader(scratch, CommandHeader.LENGTH, header)
            .sessionId(1).correlationId(0).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0).queue("orders")
            .putPayload(new byte[PAYLOAD_BYTES], 0, PAYLOAD_BYTES).putHeaders(headers, 0, headers.length)
            .messageId("").replyTo("").encodedLength();
    }

    private static byte[] headers(final String region, final String price)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        int length = HeadersLayout.put(buffer, 0, "region".getBytes(StandardCharsets.UTF_8), HeadersLayout.TEXT,
            new UnsafeBuffer(region.getBytes(StandardCharsets.UTF_8)), 0, region.length());
        length = HeadersLayout.put(buffer, length, "price".getBytes(StandardCharsets.UTF_8), HeadersLayout.TEXT,
            new UnsafeBuffer(price.getBytes(StandardCharsets.UTF_8)), 0, price.length());
        return java.util.Arrays.copyOf(buffer.byteArray(), length);
    }

    private UnsafeBuffer copyOfScratch(final int frameLength)
    {
        final UnsafeBuffer command = new UnsafeBuffer(ByteBuffer.allocateDirect(CommandHeader.LENGTH + frameLength));
        command.putBytes(0, scratch, 0, CommandHeader.LENGTH + frameLength);
        return command;
    }

    private void apply(final UnsafeBuffer command, final int frameLength)
    {
        nowNs += 1_000; // no deadline ever comes due
        CommandHeader.write(command, 0, ++logSequence, nowNs, 7);
        stateMachine.apply(command, 0, CommandHeader.LENGTH + frameLength);
    }
}
