package io.ringmq.replicator;

import io.ringmq.core.ring.CommandEvent;
import io.ringmq.transport.OfferOutcome;
import io.ringmq.transport.replication.ReplicationAckPoller;
import io.ringmq.transport.replication.ReplicationPublisher;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The primary's replicator: ships every command of a ring batch to the standby as one message (the journal's record
 * bytes verbatim), and when acks are awaited returns from the batch's last event only once the standby's ack covers
 * it. The Disruptor advances this handler's sequence only after the batch, so the dispatcher, and every receipt,
 * never runs ahead of the standby.
 * <p>
 * While it waits it polls the acks and idles by its {@link IdleStrategy} (a backoff: never a busy spin by default).
 * Past the ack timeout it logs, once per timeout, that receipts are held; it goes on holding them (a lost-standby
 * policy that goes on alone is the next step). Without acks awaited (mode {@code none}) a batch no standby is
 * connected for is dropped and counted: the standby, if it comes, will see a gap and refuse to go past it.
 * <p>
 * Not thread-safe: runs on its own ring thread, except {@link #stopping()} and the counters.
 */
public final class ShippingReplicator implements Replicator
{
    private static final Logger LOG = LoggerFactory.getLogger(ShippingReplicator.class);

    private final ReplicationPublisher publisher;
    private final ReplicationAckPoller acks;
    private final boolean awaitAcks;
    private final long ackTimeoutNs;
    private final NanoClock nanoClock;
    private final IdleStrategy idleStrategy;
    private volatile boolean stopping;
    private volatile long shippedLogSequence;
    private volatile long droppedBatches;
    private volatile long heldTimeouts;
    private long batchLogSequence;

    /**
     * @param awaitAcks    whether a batch waits for the standby's ack (modes received and journaled) or not (none).
     * @param ackTimeoutNs how long a wait goes before it is logged (and logged again).
     */
    public ShippingReplicator(
        final ReplicationPublisher publisher,
        final ReplicationAckPoller acks,
        final boolean awaitAcks,
        final long ackTimeoutNs,
        final NanoClock nanoClock,
        final IdleStrategy idleStrategy)
    {
        this.publisher = publisher;
        this.acks = acks;
        this.awaitAcks = awaitAcks;
        this.ackTimeoutNs = ackTimeoutNs;
        this.nanoClock = nanoClock;
        this.idleStrategy = idleStrategy;
        this.shippedLogSequence = acks.ackedLogSequence();
    }

    public boolean isActive()
    {
        return true;
    }

    public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch)
    {
        if (!publisher.append(event.buffer(), 0, event.length()))
        {
            ship();
            publisher.append(event.buffer(), 0, event.length()); // an empty batch holds any command: checked at start
        }
        batchLogSequence = event.logSequence();
        if (endOfBatch)
        {
            ship();
            if (awaitAcks)
            {
                awaitAck(batchLogSequence);
            }
        }
    }

    public void stopping()
    {
        stopping = true;
    }

    /** The highest log sequence offered to the standby. */
    public long shippedLogSequence()
    {
        return shippedLogSequence;
    }

    /** The highest log sequence the standby acked, as of the last wait. */
    public long ackedLogSequence()
    {
        return acks.ackedLogSequence();
    }

    public String stats()
    {
        return "shipped to " + shippedLogSequence + ", acked " + acks.ackedLogSequence() + ", batches dropped " +
            droppedBatches + ", ack timeouts " + heldTimeouts;
    }

    private void ship()
    {
        final long startNs = nanoClock.nanoTime();
        long reportNs = startNs + ackTimeoutNs;
        idleStrategy.reset();
        while (true)
        {
            final OfferOutcome outcome = publisher.flush();
            switch (outcome)
            {
                case SENT:
                    shippedLogSequence = batchLogSequence;
                    return;
                case NOT_CONNECTED:
                    if (!awaitAcks)
                    {
                        publisher.discard();
                        droppedBatches++; // single writer: this thread
                        return;
                    }
                    giveUpIfStopping(startNs);
                    break;
                case BACK_PRESSURED:
                    giveUpIfStopping(startNs);
                    break;
                default:
                    throw new IllegalStateException("the replication publication cannot be used: " + outcome);
            }
            reportNs = reportIfLate(startNs, reportNs, "waiting to ship log sequence " + batchLogSequence +
                " to the standby (" + outcome + ")");
            idleStrategy.idle();
        }
    }

    private void awaitAck(final long logSequence)
    {
        final long startNs = nanoClock.nanoTime();
        long reportNs = startNs + ackTimeoutNs;
        idleStrategy.reset();
        while (true)
        {
            final int work = acks.poll();
            if (acks.ackedLogSequence() >= logSequence)
            {
                return;
            }
            if (0 == work)
            {
                giveUpIfStopping(startNs);
                reportNs = reportIfLate(startNs, reportNs, "the standby has not acked log sequence " + logSequence +
                    " (acked " + acks.ackedLogSequence() + ")");
            }
            idleStrategy.idle(work);
        }
    }

    /**
     * While stopping, a standby that is gone (or has not answered for an ack timeout) will not answer: the rest of the
     * ring drains unreplicated, and unreceipted (this throws, which stops the dispatcher).
     */
    private void giveUpIfStopping(final long startNs)
    {
        if (stopping && (!publisher.isConnected() || nanoClock.nanoTime() - startNs >= ackTimeoutNs))
        {
            throw new IllegalStateException("stopping while the standby does not take or ack log sequence " +
                batchLogSequence + ": it and what follows are journaled here but not on the standby, and not receipted");
        }
    }

    private long reportIfLate(final long startNs, final long reportNs, final String what)
    {
        final long nowNs = nanoClock.nanoTime();
        if (nowNs - reportNs < 0)
        {
            return reportNs;
        }
        heldTimeouts++; // single writer: this thread
        LOG.warn("replication: {} for {} ms: receipts are held until it does", what,
            TimeUnit.NANOSECONDS.toMillis(nowNs - startNs));
        return nowNs + ackTimeoutNs;
    }
}
