package io.ringmq.perf.artemis;

import io.ringmq.perf.LatencyRecorder;
import io.ringmq.perf.PassControl;
import io.ringmq.perf.Progress;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.MessageHandler;

import java.util.concurrent.CountDownLatch;

/**
 * Artemis' consumer: a core-client {@link MessageHandler} (called on Artemis' client thread) that checks order,
 * records publish→deliver from the intended send time, and acknowledges each message (auto-commit acks, batched by
 * the client as Artemis does by default).
 */
final class ArtemisConsumer implements MessageHandler
{
    private final PassControl control;
    private final long total;
    private final LatencyRecorder recorder;
    private final Progress progress;
    private final CountDownLatch done = new CountDownLatch(1);
    private long delivered;

    ArtemisConsumer(final PassControl control, final long total, final LatencyRecorder recorder, final Progress progress)
    {
        this.control = control;
        this.total = total;
        this.recorder = recorder;
        this.progress = progress;
    }

    public void onMessage(final ClientMessage message)
    {
        final long nowNs = System.nanoTime();
        try
        {
            final ActiveMQBuffer body = message.getBodyBuffer();
            final long number = body.readLong();
            final long intendedNs = body.readLong();
            if (number != delivered + 1)
            {
                control.fail(new IllegalStateException("Artemis delivery: expected message " + (delivered + 1) +
                    ", got " + number));
            }
            if (null != recorder)
            {
                recorder.onDelivered(number, intendedNs, nowNs);
            }
            message.acknowledge();
            delivered++;
            progress.add(1);
            if (delivered == total)
            {
                control.lastDeliveryNs(System.nanoTime());
                done.countDown();
            }
        }
        catch (final ActiveMQException | RuntimeException ex)
        {
            control.fail(ex);
        }
    }

    CountDownLatch done()
    {
        return done;
    }
}
