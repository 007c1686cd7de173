package io.ringmq.daemon.pipeline;

import io.ringmq.core.state.ForwardingSink;
import io.ringmq.core.state.MessageView;
import io.ringmq.core.state.OutputSink;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.function.LongSupplier;

/**
 * Times what the state machine decides, in command time (the time the commands carry, so the figures are those of
 * the daemon's own clock, not of a client's): a message's publish to its first delivery, a delivery to its ack or
 * reply, a request's publish to its reply. Passes every output on.
 * <p>
 * A delivery's time is kept per session ({@link DeliveryTimes}, a table indexed by sequence, which starts at
 * {@link #FIRST_TIMED_PER_SESSION} deliveries and grows to at most {@link #MAX_TIMED_PER_SESSION}) until it is
 * settled, redelivered to the same consumer (which replaces it), its slot is wanted by a later delivery at the
 * table's largest, or the session closes. No allocation per delivery.
 * <p>
 * Not thread-safe: the dispatch thread, as the state machine's sink; its {@link DispatchHandler} flushes the stages at
 * the end of each batch.
 */
public final class StageRecordingSink extends ForwardingSink
{
    static final int FIRST_TIMED_PER_SESSION = 1 << 10;
    static final int MAX_TIMED_PER_SESSION = 1 << 16;

    private final LongSupplier commandTimeNs;
    private final StageRecorder publishToDeliver;
    private final StageRecorder deliverToAck;
    private final StageRecorder requestToReply;
    private final Long2ObjectHashMap<DeliveryTimes> deliveredNsBySession = new Long2ObjectHashMap<>();

    /**
     * @param commandTimeNs the time of the command being applied (the state machine's {@code nowNs}).
     */
    public StageRecordingSink(final OutputSink next, final LongSupplier commandTimeNs, final StageHistograms stages)
    {
        super(next);
        this.commandTimeNs = commandTimeNs;
        this.publishToDeliver = stages.recorder(Stage.PUBLISH_TO_DELIVER);
        this.deliverToAck = stages.recorder(Stage.DELIVER_TO_ACK);
        this.requestToReply = stages.recorder(Stage.REQUEST_TO_REPLY);
    }

    public void onDeliver(final long sessionId, final long consumerId, final int attempt, final MessageView message)
    {
        final long nowNs = commandTimeNs.getAsLong();
        if (1 == attempt)
        {
            publishToDeliver.record(nowNs - message.publishTimestampNs());
        }
        DeliveryTimes delivered = deliveredNsBySession.get(sessionId);
        if (null == delivered)
        {
            delivered = new DeliveryTimes(FIRST_TIMED_PER_SESSION, MAX_TIMED_PER_SESSION); // once per session
            deliveredNsBySession.put(sessionId, delivered);
        }
        delivered.put(consumerId, message.sequence(), nowNs);
        super.onDeliver(sessionId, consumerId, attempt, message);
    }

    public void onSettled(
        final long sessionId, final long consumerId, final long sequence, final long publishTimestampNs,
        final boolean replied)
    {
        final long nowNs = commandTimeNs.getAsLong();
        if (replied)
        {
            requestToReply.record(nowNs - publishTimestampNs);
        }
        final DeliveryTimes delivered = deliveredNsBySession.get(sessionId);
        if (null != delivered)
        {
            final long deliveredNs = delivered.remove(consumerId, sequence);
            if (DeliveryTimes.NONE != deliveredNs)
            {
                deliverToAck.record(nowNs - deliveredNs);
            }
        }
        super.onSettled(sessionId, consumerId, sequence, publishTimestampNs, replied);
    }

    public void onSessionClosed(final long sessionId)
    {
        deliveredNsBySession.remove(sessionId);
        super.onSessionClosed(sessionId);
    }

    /** Sessions whose deliveries are being timed (for tests). */
    int timedSessions()
    {
        return deliveredNsBySession.size();
    }
}
