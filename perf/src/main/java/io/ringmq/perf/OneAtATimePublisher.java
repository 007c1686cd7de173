package io.ringmq.perf;

import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Consumer;

/**
 * ringmq's one-at-a-time publisher: {@code publishAndWait} in a loop, each publish's round trip (send to receipt:
 * journalled, and synced when the journal syncs) recorded after the warm-up. Nobody consumes the queue; the client
 * waits with its own idle strategy, as an application calling {@code publishAndWait} does.
 */
final class OneAtATimePublisher implements Consumer<RingmqClient>
{
    private final PassControl control;
    private final String queue;
    private final long total;
    private final OneAtATimeRecorder recorder;
    private final Progress progress;
    private final UnsafeBuffer payload;

    OneAtATimePublisher(
        final PassControl control, final String queue, final LatencyWorkload workload,
        final OneAtATimeRecorder recorder, final Progress progress)
    {
        this.control = control;
        this.queue = queue;
        this.total = workload.totalMessages();
        this.recorder = recorder;
        this.progress = progress;
        this.payload = new UnsafeBuffer(new byte[workload.payloadBytes()]);
    }

    public void accept(final RingmqClient client)
    {
        try
        {
            final Publisher publisher = client.publisher(queue);
            for (long number = 1; number <= total && !control.isAborted(); number++)
            {
                final long sentNs = System.nanoTime();
                MessageStamp.write(payload, 0, number, sentNs);
                publisher.publishAndWait(payload, 0, payload.capacity());
                recorder.onReceipt(number, sentNs, System.nanoTime());
                progress.add(1);
                if (control.isPastDeadline(System.nanoTime()))
                {
                    control.fail(new IllegalStateException("one-at-a-time publishing ran out of time at " + number));
                }
            }
        }
        catch (final Throwable throwable)
        {
            control.fail(throwable);
        }
    }
}
