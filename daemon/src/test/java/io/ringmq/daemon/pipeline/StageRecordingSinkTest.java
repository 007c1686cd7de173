package io.ringmq.daemon.pipeline;

import io.ringmq.core.state.MessageView;
import io.ringmq.core.state.OutputSink;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Deliveries and settlements timed in command time: publish to first delivery (not redeliveries), delivery to ack
 * (the latest delivery to that consumer), request to reply; a closed session's deliveries are forgotten.
 */
class StageRecordingSinkTest
{
    private final StageHistograms stages = new StageHistograms();
    private long nowNs;
    private final StageRecordingSink sink = new StageRecordingSink(OutputSink.NONE, () -> nowNs, stages);

    @Test
    void publishToDeliverCountsFirstAttemptsAndDeliverToAckTheLatestDelivery()
    {
        nowNs = 1_000_000;
        sink.onDeliver(1, 10, 1, message(5, 400_000));
        nowNs = 3_000_000;
        sink.onDeliver(1, 10, 2, message(5, 400_000)); // redelivered: its time replaces the first
        nowNs = 3_250_000;
        sink.onSettled(1, 10, 5, 400_000, false);
        sink.onSettled(1, 10, 5, 400_000, false); // settled already: nothing more to time

        final Histogram published = logged(Stage.PUBLISH_TO_DELIVER);
        assertEquals(1, published.getTotalCount(), "the first attempt only");
        assertEquals(600_000, published.getMaxValue(), 600);
        final Histogram acked = logged(Stage.DELIVER_TO_ACK);
        assertEquals(1, acked.getTotalCount());
        assertEquals(250_000, acked.getMaxValue(), 250);
        assertEquals(0, logged(Stage.REQUEST_TO_REPLY).getTotalCount());
    }

    @Test
    void aReplyTimesTheRequestAndItsDeliveryAndAClosedSessionIsForgotten()
    {
        nowNs = 2_000_000;
        sink.onDeliver(3, 30, 1, message(9, 1_000_000));
        sink.onDeliver(4, 40, 1, message(1, 1_500_000));
        nowNs = 2_700_000;
        sink.onSettled(3, 30, 9, 1_000_000, true);
        sink.onSessionClosed(4);

        assertEquals(1_700_000, logged(Stage.REQUEST_TO_REPLY).getMaxValue(), 1_700);
        assertEquals(700_000, logged(Stage.DELIVER_TO_ACK).getMaxValue(), 700);
        assertEquals(1, sink.timedSessions(), "session 3 is still open; 4 is forgotten");
    }

    private Histogram logged(final Stage stage)
    {
        stages.flushDispatchStages(); // the dispatcher's end of batch
        stages.collect(0);
        final Histogram histogram = StageHistograms.newHistogram();
        stages.moveLogged(stage, histogram);
        return histogram;
    }

    /** A delivered message: only its sequence and publish time matter here. */
    private static MessageView message(final long sequence, final long publishedNs)
    {
        return (MessageView)Proxy.newProxyInstance(MessageView.class.getClassLoader(), new Class<?>[]{MessageView.class},
            (proxy, method, args) -> switch (method.getName())
            {
                case "sequence" -> sequence;
                case "publishTimestampNs" -> publishedNs;
                default -> throw new UnsupportedOperationException(method.getName());
            });
    }
}
