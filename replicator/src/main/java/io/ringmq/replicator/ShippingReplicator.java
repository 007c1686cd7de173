package io.ringmq.replicator;

import io.ringmq.core.ring.CommandEvent;
import io.ringmq.transport.OfferOutcome;
import io.ringmq.transport.replication.ReplicationAckPoller;
import io.ringmq.transport.replication.ReplicationPublisher;
import org.agrona.CloseHelper;
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
 * Past the ack timeout the standby is lost, and the policy decides: hold ({@code ringmq.replication.standby.lost=hold})
 * goes on waiting, logging the first timeout and then at most once per {@link #HOLD_LOG_INTERVAL_NS}; continue takes
 * the standby out of sync (logged once, counted) and stops waiting for acks. Out of sync it still ships what it can
 * (a standby that was only slow catches up by itself) but drops what it cannot send at once, so receipts never wait
 * for it; a standby that missed a batch sees the gap and catches up from this node's journal (the daemon's catch-up
 * server, on a thread of its own: never this one). It is back in sync when, before a batch is shipped, the standby's
 * ack covers every log sequence offered to it so far. Under hold, a standby that is catching up simply has not acked
 * yet: receipts wait until catch-up brings it to the batch waited for, which it does while this thread waits (catch-up
 * reads the journal, which has that batch).
 * <p>
 * Without acks awaited (mode {@code none}) a batch no standby is connected for is dropped and counted: the standby,
 * if it comes, sees the gap and catches up.
 * <p>
 * A planned switchover's drain waits for the standby whatever the policy ({@link #drainForHandover()}): the ingress
 * has stopped, so no receipt waits behind it, and the handover needs that standby to have every command. Under
 * continue a standby whose ack comes past the timeout would otherwise be dropped from sync in the middle of the drain
 * and the switchover fail, though the standby was only slow: its journal thread syncs each batch before it appends
 * the next, and on a busy disk one msync has taken seconds (FailoverFaultIT, about one switchover in twenty).
 * <p>
 * Frames carry this primary's epoch. Should a newer epoch's primary (a standby promoted while this node was away)
 * ship to this node's endpoint, the replicator fails the batch it is in, before the dispatcher sees it: a replaced
 * primary receipts nothing more.
 * <p>
 * Not thread-safe: runs on its own ring thread, except {@link #stopping()} and the counters.
 */
public final class ShippingReplicator implements Replicator
{
    private static final Logger LOG = LoggerFactory.getLogger(ShippingReplicator.class);
    /** While holding receipts, one warning per this long: a standby gone for hours must not flood the log. */
    static final long HOLD_LOG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(30);

    private final ReplicationPublisher publisher;
    private final ReplicationAckPoller acks;
    private final boolean awaitAcks;
    private final boolean continueWhenLost;
    private final long ackTimeoutNs;
    private final NanoClock nanoClock;
    private final IdleStrategy idleStrategy;
    private volatile boolean stopping;
    /** Set when a planned switchover drains the ring: a late ack is waited for, never a reason to drop the standby. */
    private volatile boolean draining;
    private volatile long shippedLogSequence;
    private volatile long droppedBatches;
    private volatile long heldTimeouts;
    private volatile boolean inSync = true;
    private volatile long timesOutOfSync;
    /** When the standby last had all that was shipped (as of the batch its ack covered). */
    private volatile long caughtUpAtNs;
    private long batchLogSequence;
    private long offeredLogSequence;
    private long nextHoldLogNs;
    private boolean holdLogged;

    /**
     * @param awaitAcks    whether a batch waits for the standby's ack (modes received and journaled) or not (none).
     * @param ackTimeoutNs     how long a wait goes before the standby is taken as lost.
     * @param continueWhenLost whether a lost standby is dropped from in sync (receipts go on) or waited for.
     */
    public ShippingReplicator(
        final ReplicationPublisher publisher,
        final ReplicationAckPoller acks,
        final boolean awaitAcks,
        final long ackTimeoutNs,
        final boolean continueWhenLost,
        final NanoClock nanoClock,
        final IdleStrategy idleStrategy)
    {
        this.publisher = publisher;
        this.acks = acks;
        this.awaitAcks = awaitAcks;
        this.ackTimeoutNs = ackTimeoutNs;
        this.continueWhenLost = continueWhenLost;
        this.nanoClock = nanoClock;
        this.idleStrategy = idleStrategy;
        this.shippedLogSequence = acks.ackedLogSequence();
        this.offeredLogSequence = shippedLogSequence;
        this.caughtUpAtNs = nanoClock.nanoTime();
    }

    public boolean isActive()
    {
        return true;
    }

    public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch)
    {
        // A query is not journaled, so the standby never gets one either (see CommandEvent.isQuery); a batch of
        // queries only ships nothing and waits for nothing: its log sequence is one already shipped.
        if (!event.isQuery() && !publisher.append(event.buffer(), 0, event.length()))
        {
            ship();
            publisher.append(event.buffer(), 0, event.length()); // an empty batch holds any command: checked at start
        }
        batchLogSequence = event.logSequence();
        if (endOfBatch)
        {
            ship();
            if (awaitAcks && inSync)
            {
                awaitAck(batchLogSequence);
            }
            else if (acks.poll() >= 0 && acks.ackedLogSequence() >= shippedLogSequence) // mode none: how far it is
            {
                caughtUpAtNs = nanoClock.nanoTime();
            }
            stopIfReplaced();
        }
    }

    public void stopping()
    {
        stopping = true;
    }

    /**
     * A planned switchover drains the ring (the ingress has stopped): from now on a standby late with its ack is
     * waited for, logged as under hold, instead of being taken out of sync at the ack timeout. The drain's own
     * deadline ({@link #stopping()} once it passes) still bounds the wait. Thread-safe.
     */
    public void drainForHandover()
    {
        draining = true;
    }

    public void close()
    {
        CloseHelper.quietCloseAll(publisher, acks);
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

    /** Whether receipts wait for the standby's acks: false once a lost standby was dropped (policy continue). */
    public boolean inSync()
    {
        return inSync;
    }

    public boolean standbyConnected()
    {
        return publisher.isConnected();
    }

    public boolean holdsForAbsentStandby()
    {
        return awaitAcks && !continueWhenLost && inSync && !publisher.isConnected();
    }

    /** Out of sync with a standby there: only a command passing by lets it see the acks that bring it back in sync. */
    public boolean wantsACommand()
    {
        return !inSync && publisher.isConnected();
    }

    public long lagCommands()
    {
        return Math.max(0, shippedLogSequence - acks.ackedLogSequence());
    }

    public long behindSinceNs()
    {
        return caughtUpAtNs;
    }

    /** How many times a lost standby was dropped from in sync. */
    public long timesOutOfSync()
    {
        return timesOutOfSync;
    }

    public String stats()
    {
        return "shipped to " + shippedLogSequence + ", acked " + acks.ackedLogSequence() + ", batches dropped " +
            droppedBatches + ", ack timeouts " + heldTimeouts + ", standby " + (inSync ? "in sync" : "out of sync") +
            ", times out of sync " + timesOutOfSync;
    }

    private void ship()
    {
        if (!inSync)
        {
            backInSyncIfCaughtUp();
        }
        offeredLogSequence = batchLogSequence;
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
                case BACK_PRESSURED:
                    if (!inSync || !awaitAcks && OfferOutcome.NOT_CONNECTED == outcome)
                    {
                        drop();
                        return;
                    }
                    giveUpIfStopping(startNs);
                    break;
                default:
                    throw new IllegalStateException("the replication publication cannot be used: " + outcome);
            }
            if (nanoClock.nanoTime() - reportNs >= 0) // the message is built only when it is due
            {
                reportNs = onLate(startNs, "waiting to ship log sequence " + batchLogSequence +
                    " to the standby (" + outcome + ")");
            }
            idleStrategy.idle();
        }
    }

    /** Nothing waits for a standby that is not there (mode none) or out of sync: it will refuse the gap. */
    /**
     * Starts out of sync (policy continue only): for a standby promoted automatically, whose standby-to-be is the
     * primary it just replaced, lost by definition. Receipts do not wait for it; it is back in sync once a standby acks
     * all that was offered to it, as after any loss. Call before the ring starts.
     *
     * @param lastLogSequence the last log sequence this node has: a standby must ack past it.
     */
    public ShippingReplicator outOfSyncFrom(final long lastLogSequence)
    {
        if (continueWhenLost)
        {
            inSync = false;
            offeredLogSequence = lastLogSequence + 1;
        }
        return this;
    }

    private void drop()
    {
        publisher.discard();
        droppedBatches++; // single writer: this thread
    }

    /**
     * Fencing, first step: a newer epoch's primary (a standby promoted while this node was away) ships to this node's
     * endpoint. This node must not receipt another command: it fails the ring (the daemon stops) before the batch
     * reaches the dispatcher. Full fencing (a lease, a witness) is the automatic failover's.
     */
    private void stopIfReplaced()
    {
        final long newer = acks.newerEpoch();
        if (0 != newer)
        {
            throw new IllegalStateException("a primary of epoch " + newer + " ships to this node's endpoint: this " +
                "node, a primary of an older epoch, was replaced by a promoted standby and stops serving (log " +
                "sequence " + batchLogSequence + " and after are journaled here, not receipted); start it again " +
                "with --role standby");
        }
    }

    private void backInSyncIfCaughtUp()
    {
        acks.poll();
        stopIfReplaced();
        if (acks.ackedLogSequence() >= offeredLogSequence)
        {
            inSync = true;
            caughtUpAtNs = nanoClock.nanoTime();
            LOG.warn("replication: the standby acked log sequence {}, all that was offered to it: back in sync, " +
                "receipts wait for its acks again", acks.ackedLogSequence());
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
            stopIfReplaced();
            if (acks.ackedLogSequence() >= logSequence)
            {
                caughtUpAtNs = startNs;
                return;
            }
            if (0 == work)
            {
                giveUpIfStopping(startNs);
                if (nanoClock.nanoTime() - reportNs >= 0) // the message is built only when it is due
                {
                    reportNs = onLate(startNs, "the standby has not acked log sequence " + logSequence +
                        " (acked " + acks.ackedLogSequence() + ")");
                }
                if (!inSync)
                {
                    return;
                }
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

    /**
     * Past an ack timeout (the caller checks, so the wait builds no message until one is due): counts it, then by the
     * policy takes the standby out of sync (the caller stops waiting) or holds, logging the first timeout and then once
     * per {@link #HOLD_LOG_INTERVAL_NS}.
     *
     * @return when the next timeout of this wait is due.
     */
    private long onLate(final long startNs, final String what)
    {
        final long nowNs = nanoClock.nanoTime();
        heldTimeouts++; // single writer: this thread
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(nowNs - startNs);
        if (continueWhenLost && !draining)
        {
            inSync = false;
            timesOutOfSync++; // single writer: this thread
            LOG.warn("replication: {} for {} ms: the standby is out of sync, receipts go on without it until its " +
                "ack covers all that was offered to it", what, waitedMs);
        }
        else if (!holdLogged || nowNs - nextHoldLogNs >= 0)
        {
            holdLogged = true;
            nextHoldLogNs = nowNs + HOLD_LOG_INTERVAL_NS;
            LOG.warn("replication: {} for {} ms: {} until it does (ack timeouts so far {}; logged again at most " +
                "every {} s)", what, waitedMs, draining ? "the switchover's drain waits" : "receipts are held",
                heldTimeouts, TimeUnit.NANOSECONDS.toSeconds(HOLD_LOG_INTERVAL_NS));
        }
        return nowNs + ackTimeoutNs;
    }
}
