package io.ringmq.perf.jmh;

import io.ringmq.core.protocol.Priority;
import io.ringmq.codecs.AckEncoder;
import io.ringmq.codecs.BooleanType;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.NodeStartedEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.SubscribeEncoder;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.state.DiscardingOutputSink;
import io.ringmq.core.state.MessageView;
import io.ringmq.core.state.QueueStateMachine;
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
import java.util.concurrent.TimeUnit;

/**
 * The dispatch thread's work per message without I/O: {@link QueueStateMachine} applies a publish (which receipts
 * and delivers it to the one subscribed consumer) and then the consumer's ack, as the daemon's DispatchHandler would.
 * Commands are encoded once and only their changing fields rewritten, like the ingress does into ring events. One op
 * = publish + deliver + ack. With {@code -prof gc} this should show 0 B/op (core's SteadyStateAllocationTest asserts
 * it).
 * <p>
 * {@code inFlight}: deliveries the consumer holds unacked (its prefetch is full): each op acks the oldest and
 * publishes one more, which is delivered at once. 1 is the idle case; 1024 is the throughput harness's steady state
 * (its prefetch); every in-flight delivery has a visibility timer in the wheel.
 * <p>
 * {@code priorities}: {@code default} publishes every message at the default priority (the figure from before
 * priorities existed); {@code mixed} cycles through all ten, so deliveries come from every lane. {@code backlog}:
 * messages published beyond the prefetch, waiting in the lanes; each op's ack then delivers the highest-priority one
 * waiting, and its publish joins the backlog. Acks name the oldest delivery still unacked (deliveries are kept in the
 * order they came, since with priorities that is not sequence order).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class StateMachineBenchmark
{
    private static final int PAYLOAD_BYTES = 100;

    @Param({"1", "1024", "8192"})
    int inFlight;

    @Param({"default", "mixed"})
    String priorities;

    @Param({"0", "1024"})
    int backlog;

    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PublishEncoder publish = new PublishEncoder();
    private final AckEncoder ack = new AckEncoder();
    private final LastDeliverySink sink = new LastDeliverySink();
    private QueueStateMachine stateMachine;
    private UnsafeBuffer publishCommand;
    private int publishLength;
    private UnsafeBuffer ackCommand;
    private int ackLength;
    private long logSequence;
    private long nowNs;
    private boolean mixed;

    @Setup(Level.Trial)
    public void setUp()
    {
        stateMachine = new QueueStateMachine(sink);
        nowNs = 1_000_000_000_000L;
        apply(scratch, MessageHeaderEncoder.ENCODED_LENGTH + new NodeStartedEncoder()
            .wrapAndApplyHeader(scratch, CommandHeader.LENGTH, header)
            .startTimestampNs(nowNs).defaultVisibilityTimeoutMs(30_000).defaultMaxAttempts(5)
            .maxSessions(0).maxQueues(0).maxConsumersPerSession(0).defaultMaxQueueBytes(0) // no bounds
            .dedupWindowMs(0).maxDedupProducers(0).dedupIdWindowMs(0).maxDedupIds(0).encodedLength());
        apply(scratch, MessageHeaderEncoder.ENCODED_LENGTH + new ConnectEncoder()
            .wrapAndApplyHeader(scratch, CommandHeader.LENGTH, header)
            .correlationId(1).responseStreamId(2).responseChannel("aeron:ipc").clientName("jmh").encodedLength());
        apply(scratch, MessageHeaderEncoder.ENCODED_LENGTH + new SubscribeEncoder()
            .wrapAndApplyHeader(scratch, CommandHeader.LENGTH, header)
            .sessionId(1).correlationId(2).prefetch(inFlight).visibilityTimeoutMs(0).createQueue(BooleanType.TRUE)
            .queue("orders").group("billing")
            .encodedLength());

        publishLength = MessageHeaderEncoder.ENCODED_LENGTH + publish
            .wrapAndApplyHeader(scratch, CommandHeader.LENGTH, header)
            .sessionId(1).correlationId(0).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0).queue("orders")
            .putPayload(new byte[PAYLOAD_BYTES], 0, PAYLOAD_BYTES).putHeaders(new byte[0], 0, 0).messageId("")
            .replyTo("").encodedLength();
        publishCommand = copyOfScratch(publishLength);
        ackLength = MessageHeaderEncoder.ENCODED_LENGTH + ack
            .wrapAndApplyHeader(scratch, CommandHeader.LENGTH, header)
            .sessionId(1).consumerId(1).sequence(0).attempt(1).encodedLength();
        ackCommand = copyOfScratch(ackLength);

        mixed = "mixed".equals(priorities);
        sink.keep(inFlight);
        for (int i = 0; i < inFlight + backlog; i++)
        {
            publish(i);
        }
        if (sink.delivered != inFlight)
        {
            throw new IllegalStateException("set-up delivered " + sink.delivered + " of " + inFlight);
        }
    }

    @TearDown(Level.Trial)
    public void checkNothingWasRefused()
    {
        if (sink.errors > 0)
        {
            throw new IllegalStateException("the state machine refused " + sink.errors + " commands: the benchmark " +
                "measured the error path, not publish+deliver+ack");
        }
    }

    @Benchmark
    public long publishDeliverAck()
    {
        ack.wrap(ackCommand, CommandHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH).sequence(sink.takeOldest());
        apply(ackCommand, ackLength);
        publish(logSequence);
        return sink.lastSequence;
    }

    private void publish(final long correlationId)
    {
        publish.wrap(publishCommand, CommandHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH)
            .correlationId(correlationId).priority(mixed ? (short)(correlationId % 10) : Priority.DEFAULT);
        apply(publishCommand, publishLength);
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

    /**
     * Keeps the deliveries not yet acked in the order they came (to ack the oldest) and counts refusals; allocates
     * nothing once set up.
     */
    static final class LastDeliverySink extends DiscardingOutputSink
    {
        long lastSequence;
        long delivered;
        long errors;
        private long[] unacked = new long[1];
        private long taken;

        /** Room for the consumer's prefetch: never more deliveries are unacked. */
        void keep(final int inFlight)
        {
            unacked = new long[org.agrona.BitUtil.findNextPositivePowerOfTwo(inFlight)];
        }

        long takeOldest()
        {
            return unacked[(int)(taken++ & (unacked.length - 1))];
        }

        public void onDeliver(final long sessionId, final long consumerId, final int attempt, final MessageView message)
        {
            lastSequence = message.sequence();
            unacked[(int)(delivered & (unacked.length - 1))] = lastSequence;
            delivered++;
        }

        public void onError(final long sessionId, final long correlationId, final ErrorCode code, final String message)
        {
            errors++;
        }
    }
}
