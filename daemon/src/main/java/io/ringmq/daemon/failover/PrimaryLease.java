package io.ringmq.daemon.failover;

import com.lmax.disruptor.EventHandler;
import io.ringmq.core.ring.CommandEvent;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The primary's lease from the witness, as this node's clock sees it, and the gate that holds the ring's dispatcher
 * (so every receipt) while the node may not receipt.
 * <p>
 * A grant answers a request sent at {@code sentNs}; the witness stamped it no earlier, so the lease is taken as valid
 * until {@code sentNs + lease} here: never later than the witness's own expiry, clocks running at the same rate (the
 * witness's drift margin covers rates that differ). The lease is read on every command the dispatcher takes, against
 * the clock of that moment: a primary paused past its lease (SIGSTOP, a long GC) and woken up holds before its next
 * receipt, whatever the witness link's thread has or has not seen yet.
 * <p>
 * The rule ({@link #gate}): the dispatcher runs while the lease is held, or while receipts wait for the in-sync
 * standby's ack (ack mode other than none, standby in sync). The second clause keeps the pair serving while the
 * witness is down: the standby, the only node that could take over, promotes only through the witness, and stops
 * acking this node before it does, so a receipt that waited for its ack is one the standby has. Without it (mode
 * none, or a standby dropped from sync under {@code standby.lost=continue}) only the lease lets a receipt out.
 * <p>
 * Thread-safe: granted by the witness link's thread, read by the dispatcher's.
 */
public final class PrimaryLease
{
    private static final Logger LOG = LoggerFactory.getLogger(PrimaryLease.class);
    /** How long a held dispatcher parks between looks at the lease. */
    private static final long HOLD_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);

    private final NanoClock clock;
    private volatile long validUntilNs;
    private volatile boolean granted;
    private volatile boolean stopping;
    private volatile long holds;

    public PrimaryLease(final NanoClock clock)
    {
        this.clock = clock;
    }

    /** The witness granted the lease asked for at {@code sentNs}: held until {@code sentNs + leaseNs} here. */
    void grant(final long sentNs, final long leaseNs)
    {
        final long until = sentNs + leaseNs;
        if (!granted || until - validUntilNs > 0)
        {
            validUntilNs = until;
        }
        granted = true;
    }

    /** The witness refused it: another node holds the registry's epoch, or a newer one. */
    void revoke()
    {
        granted = false;
    }

    /** Whether the lease is held now. */
    public boolean held()
    {
        return granted && clock.nanoTime() - validUntilNs < 0;
    }

    /** Times the dispatcher was held for want of a lease, since start. */
    public long holds()
    {
        return holds;
    }

    /** The daemon stops: a dispatcher held now fails its command (applied by the next start's replay). */
    public void stop()
    {
        stopping = true;
    }

    /**
     * The dispatcher, held before a command while neither the lease is held nor receipts wait for the standby.
     *
     * @param receiptsWaitForStandby whether the ack mode awaits acks and the standby is in sync.
     */
    public EventHandler<CommandEvent> gate(
        final EventHandler<CommandEvent> dispatcher, final BooleanSupplier receiptsWaitForStandby)
    {
        return new EventHandler<>()
        {
            public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch)
                throws Exception
            {
                if (!held() && !receiptsWaitForStandby.getAsBoolean())
                {
                    hold(receiptsWaitForStandby);
                }
                dispatcher.onEvent(event, sequence, endOfBatch);
            }

            public void onStart()
            {
                dispatcher.onStart();
            }

            public void onShutdown()
            {
                dispatcher.onShutdown();
            }
        };
    }

    private void hold(final BooleanSupplier receiptsWaitForStandby)
    {
        holds++;
        LOG.warn("failover: this primary holds its receipts: no lease from the witness, and receipts do not wait for " +
            "an in-sync standby");
        final long startNs = clock.nanoTime();
        while (!held() && !receiptsWaitForStandby.getAsBoolean())
        {
            if (stopping)
            {
                throw new IllegalStateException("stopped while holding receipts without a lease: the commands " +
                    "journaled and not applied are applied by the next start");
            }
            LockSupport.parkNanos(HOLD_PARK_NS);
        }
        LOG.warn("failover: this primary receipts again after {} ms (lease {})",
            TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - startNs), held() ? "renewed" : "still lost, standby in sync");
    }
}
