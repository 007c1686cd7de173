package io.ringmq.perf.raw;

import io.ringmq.perf.FsyncMode;
import io.ringmq.perf.PeerContender;

/**
 * The raw limit as a {@link io.ringmq.perf.Contender}: Aeron IPC → one broker thread appending to Chronicle Queue
 * (msync per poll batch with fsync BATCH) → Aeron IPC back, with no ringmq code (see {@link RawJournalBroker}). N
 * producers publish into one ingress stream; the broker receipts each on the producer's own stream and hands the
 * messages out to the M consumers round-robin. Every producer and consumer on its own thread, yielding when idle,
 * like ringmq's clients.
 */
public final class RawContender extends PeerContender
{
    private final int ipcTermLength;
    private final String brokerIdle;

    /**
     * @param ipcTermLength Aeron IPC term length (ringmq's {@code ringmq.aeron.ipc.term.length}).
     * @param brokerIdle    BACKOFF or YIELDING, matched to ringmq's {@code ringmq.idle.strategy}.
     */
    public RawContender(final int ipcTermLength, final String brokerIdle)
    {
        this.ipcTermLength = ipcTermLength;
        this.brokerIdle = brokerIdle;
        RawPipeline.idleStrategy(brokerIdle);
    }

    public String name()
    {
        return "raw";
    }

    public String setup(final FsyncMode fsync)
    {
        return "Aeron IPC → one thread: Chronicle Queue append" + (FsyncMode.BATCH == fsync ? " + msync per poll " +
            "batch" : " (no msync)") + " → Aeron IPC; no ring, no state machine; broker idle " + brokerIdle +
            "; N x M: every producer into one ingress stream, a receipt stream per producer, deliveries round-robin " +
            "to a stream per consumer";
    }

    protected Broker start(final FsyncMode fsync, final int producers, final int consumers)
    {
        return new RawPipeline(fsync, ipcTermLength, brokerIdle, producers, consumers);
    }

    protected boolean sequenced()
    {
        return true;
    }

    /**
     * The warm-up gets a pipeline of its own: a later subscriber to the same IPC stream may join at an earlier
     * position and see the warm-up's messages again. The JIT's work carries over; that is what a warm-up is for.
     */
    protected boolean systemPerPass()
    {
        return true;
    }
}
