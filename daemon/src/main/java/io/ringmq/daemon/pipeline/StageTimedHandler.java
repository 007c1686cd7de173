package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ringmq.core.ring.CommandEvent;
import org.agrona.concurrent.NanoClock;

/**
 * A ring handler whose stage ends when it has finished a batch, not each command: the journal's commands are durable
 * once the batch's sync is done, and the replicator's once the standby acked the batch's last. It records, on the
 * handler's own thread, each command of the batch from its ingress time to the batch's end.
 * <p>
 * The ingress times of the batch are kept in an array the size of the ring (a batch never holds more), so recording
 * allocates nothing. Not thread-safe: the handler's thread only.
 */
public final class StageTimedHandler implements EventHandler<CommandEvent>
{
    private final EventHandler<CommandEvent> handler;
    /** The clock the ingress stamps {@link CommandEvent#ingressNanoTime()} with. */
    private final NanoClock nanoClock;
    private final StageRecorder recorder;
    private final long[] ingressNs;
    private final int mask;
    private long batchStart;
    private boolean batchStarted;

    /**
     * @param ringSize the ring's size, a power of two.
     */
    public StageTimedHandler(
        final EventHandler<CommandEvent> handler,
        final NanoClock nanoClock,
        final StageRecorder recorder,
        final int ringSize)
    {
        if (Integer.bitCount(ringSize) != 1)
        {
            throw new IllegalArgumentException("ring size " + ringSize + " is not a power of two");
        }
        this.handler = handler;
        this.nanoClock = nanoClock;
        this.recorder = recorder;
        this.ingressNs = new long[ringSize];
        this.mask = ringSize - 1;
    }

    public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch) throws Exception
    {
        if (!batchStarted)
        {
            batchStarted = true;
            batchStart = sequence;
        }
        ingressNs[(int)(sequence & mask)] = event.ingressNanoTime();
        handler.onEvent(event, sequence, endOfBatch); // a throw fails the ring: the batch is not recorded
        if (endOfBatch)
        {
            batchStarted = false;
            final long nowNs = nanoClock.nanoTime();
            for (long s = batchStart; s <= sequence; s++)
            {
                recorder.record(nowNs - ingressNs[(int)(s & mask)]);
            }
            recorder.flush();
        }
    }

    public void onStart()
    {
        handler.onStart();
    }

    public void onShutdown()
    {
        handler.onShutdown();
    }
}
