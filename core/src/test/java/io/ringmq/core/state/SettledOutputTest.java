package io.ringmq.core.state;

import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The state machine tells its sink each delivery a consumer settled (acked, or answered with a reply) with the
 * message's publish time, for the daemon's latency figures; a refused ack, a nack or a reject settles nothing.
 */
class SettledOutputTest
{
    private final List<String> settled = new ArrayList<>();
    private final RecordingSink recording = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(new ForwardingSink(recording)
    {
        public void onSettled(
            final long sessionId, final long consumerId, final long sequence, final long publishTimestampNs,
            final boolean replied)
        {
            settled.add("session=" + sessionId + " consumer=" + consumerId + " seq=" + sequence + " published=" +
                publishTimestampNs + (replied ? " replied" : " acked"));
            super.onSettled(sessionId, consumerId, sequence, publishTimestampNs, replied);
        }
    });
    private final Commands commands = new Commands(stateMachine);

    @Test
    void anAckAndAReplySettleWithThePublishTimeAndARefusedAckANackOrARejectDoNot()
    {
        commands.nodeStarted();
        commands.fromTransport(7);
        commands.connect(1, "aeron:ipc", 2001);
        commands.subscribe(1, 2, "q", "g", 10);
        final long firstPublishedNs = commands.nowNs();
        commands.publish(1, 3, "q", "a");
        commands.advanceNs(1_000);
        commands.request(1, 4, "q", "ping", 42, "");
        commands.publish(1, 5, "q", "b");
        commands.publish(1, 6, "q", "c");
        final long requestPublishedNs = firstPublishedNs + 1_000;

        commands.ack(1, 1, 1, 9); // not the current attempt: refused
        commands.ack(1, 1, 1, 1);
        commands.reply(1, 1, 2, 1, "pong");
        commands.nack(1, 1, 3, 1, NackAction.REQUEUE);
        commands.nack(1, 1, 4, 1, NackAction.REJECT);

        assertEquals(List.of(
            "session=1 consumer=1 seq=1 published=" + firstPublishedNs + " acked",
            "session=1 consumer=1 seq=2 published=" + requestPublishedNs + " replied"), settled);
    }
}
