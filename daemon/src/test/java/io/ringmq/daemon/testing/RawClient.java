package io.ringmq.daemon.testing;

import io.ringmq.core.protocol.Priority;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.ringmq.codecs.ConnectEncoder;
import io.ringmq.codecs.ConnectedDecoder;
import io.ringmq.codecs.ErrorDecoder;
import io.ringmq.codecs.MessageHeaderDecoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.codecs.PublishEncoder;
import io.ringmq.codecs.ReceiptDecoder;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.EgressFraming;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A client that writes its frames by hand, for tests that send what {@code RingmqClient} never would: frames naming
 * another client's session, payloads the client refuses up front. It has its own ingress publication (its own
 * transport), opens a session of its own, and records the Error frames it is answered with as
 * {@code "CODE corr=N: message"}. Not thread-safe.
 */
public final class RawClient implements AutoCloseable
{
    private static final long TIMEOUT_MS = 10_000;

    private final Aeron aeron;
    private final ExclusivePublication ingress;
    private final Subscription egress;
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(4096);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onMessage);
    private final List<String> errors = new ArrayList<>();
    private long sessionId = Long.MIN_VALUE;
    private long lastReceiptCorrelationId;
    private long nextSyncCorrelationId = 1L << 62;

    private RawClient(final RingmqConfig config, final int responseStreamId)
    {
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(config.aeronDir().toString()));
        egress = aeron.addSubscription("aeron:ipc", responseStreamId);
        ingress = aeron.addExclusivePublication(config.ingressChannel(), config.ingressStreamId());
    }

    /** Connects to the config's daemon and waits for its session. */
    public static RawClient connect(final RingmqConfig config, final int responseStreamId)
    {
        final RawClient client = new RawClient(config, responseStreamId);
        client.await(client.ingress::isConnected, "the daemon's ingress");
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + new ConnectEncoder()
            .wrapAndApplyHeader(client.frame, 0, new MessageHeaderEncoder())
            .correlationId(1)
            .responseStreamId(responseStreamId)
            .responseChannel("aeron:ipc")
            .clientName("raw")
            .encodedLength());
        client.await(() -> Long.MIN_VALUE != client.sessionId, "Connected");
        return client;
    }

    public long sessionId()
    {
        return sessionId;
    }

    /** Where the next frame is written, at offset 0, before {@link #send}. */
    public MutableDirectBuffer frame()
    {
        return frame;
    }

    /** Offers the frame written at offset 0 of {@link #frame()}, retrying while back-pressured. */
    public void send(final int length)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (ingress.offer(frame, 0, length) < 0)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("the daemon's ingress took no frame for " + TIMEOUT_MS + " ms");
            }
            poll();
            Thread.yield();
        }
    }

    /**
     * Waits until the daemon has applied every frame this client sent so far (those it journaled): a publish of its
     * own sent after them is receipted, and one publication keeps its frames in order.
     */
    public void awaitApplied()
    {
        final long correlationId = nextSyncCorrelationId++;
        send(MessageHeaderEncoder.ENCODED_LENGTH + new PublishEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .sessionId(sessionId).correlationId(correlationId).producerId(0).producerSequence(0).requestId(0).priority(Priority.DEFAULT)
            .delayMs(0).deliverAtMs(0).ttlMs(0)
            .queue("raw.sync").putPayload(frame, 0, 0)
            .putHeaders(new byte[0], 0, 0).messageId("").replyTo("").encodedLength());
        await(() -> lastReceiptCorrelationId == correlationId, "receipt of its own publish");
    }

    /** Takes what the daemon sent; @return the fragments read. */
    public int poll()
    {
        return egress.poll(assembler, 64);
    }

    /** The errors received so far, oldest first. */
    public List<String> errors()
    {
        return errors;
    }

    public void close()
    {
        CloseHelper.quietCloseAll(ingress, egress, aeron);
    }

    private void await(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("raw client: no " + what + " within " + TIMEOUT_MS + " ms");
            }
            if (0 == poll())
            {
                Thread.yield();
            }
        }
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        for (int position = offset; position < offset + length; )
        {
            final int frameOffset = position + EgressFraming.LENGTH_PREFIX;
            onFrame(buffer, frameOffset);
            position = frameOffset + EgressFraming.frameLength(buffer, position);
        }
    }

    private void onFrame(final DirectBuffer buffer, final int offset)
    {
        headerDecoder.wrap(buffer, offset);
        switch (headerDecoder.templateId())
        {
            case ConnectedDecoder.TEMPLATE_ID ->
                sessionId = new ConnectedDecoder().wrapAndApplyHeader(buffer, offset, headerDecoder).sessionId();
            case ErrorDecoder.TEMPLATE_ID ->
            {
                final ErrorDecoder error = new ErrorDecoder().wrapAndApplyHeader(buffer, offset, headerDecoder);
                errors.add(error.code() + " corr=" + error.correlationId() + ": " + error.message());
            }
            case ReceiptDecoder.TEMPLATE_ID -> lastReceiptCorrelationId =
                new ReceiptDecoder().wrapAndApplyHeader(buffer, offset, headerDecoder).correlationId();
            default ->
            {
                // The rest: not what these tests look at.
            }
        }
    }
}
