package io.ringmq.core.state;

import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of every delivery in flight, on an Agrona {@link DeadlineTimerWheel}. Time moves only when the state
 * machine applies a command (its timestamp) or a tick, so a replay of the same journal expires the same deliveries
 * in the same order.
 * <p>
 * Deadlines that have passed are handed out in (deadline, group id, sequence) order, not in the wheel's slot order:
 * a rule a reader (and a reference model) can state, independent of how the wheel reuses slots.
 * <p>
 * A timer id names a wheel slot and is reused once its timer is gone, so the id's mapping to (group, sequence) is
 * removed on every cancel and expiry.
 */
final class DeliveryTimers implements DeadlineTimerWheel.TimerHandler
{
    /** 2^22 ns ≈ 4.2 ms: fine enough for timeouts in seconds, coarse enough that long gaps cost few ticks. */
    static final long TICK_RESOLUTION_NS = 1L << 22;
    private static final int TICKS_PER_WHEEL = 1024;
    private static final long NO_TIMER = -1;
    static final long NO_DEADLINE = -1;

    @FunctionalInterface
    interface ExpiryHandler
    {
        void onExpired(ConsumerGroup group, long sequence);
    }

    private final DeadlineTimerWheel wheel =
        new DeadlineTimerWheel(TimeUnit.NANOSECONDS, 0, TICK_RESOLUTION_NS, TICKS_PER_WHEEL);
    private final Long2LongHashMap sequenceByTimer = new Long2LongHashMap(NO_TIMER);
    /** The wheel clears a slot before its handler runs, so each deadline is kept here too. */
    private final Long2LongHashMap deadlineByTimer = new Long2LongHashMap(NO_TIMER);
    private final Long2ObjectHashMap<ConsumerGroup> groupByTimer = new Long2ObjectHashMap<>();
    private Expiry[] expired = new Expiry[64];
    private int expiredCount;
    private boolean started;

    void schedule(final ConsumerGroup group, final long sequence, final long deadlineNs)
    {
        final long timerId = wheel.scheduleTimer(deadlineNs);
        group.deliveryTimers.put(sequence, timerId);
        sequenceByTimer.put(timerId, sequence);
        deadlineByTimer.put(timerId, deadlineNs);
        groupByTimer.put(timerId, group);
    }

    void cancel(final ConsumerGroup group, final long sequence)
    {
        final long timerId = group.deliveryTimers.remove(sequence);
        if (ConsumerGroup.NO_TIMER != timerId)
        {
            wheel.cancelTimer(timerId);
            sequenceByTimer.remove(timerId);
            deadlineByTimer.remove(timerId);
            groupByTimer.remove(timerId);
        }
    }

    /** Expires every deadline at or before {@code nowNs}, oldest tick first. */
    void advanceTo(final long nowNs, final ExpiryHandler handler)
    {
        if (!started)
        {
            // The wheel counts ticks from its start time; start it at the first command's time, not at epoch 0.
            wheel.resetStartTime(nowNs);
            started = true;
        }
        if (0 == wheel.timerCount())
        {
            wheel.currentTickTime(nowNs); // nothing to expire: jump, instead of walking every idle tick
            return;
        }

        long tickTime;
        do
        {
            tickTime = wheel.currentTickTime();
            wheel.poll(nowNs, this, Integer.MAX_VALUE);
        }
        while (wheel.currentTickTime() != tickTime && wheel.timerCount() > 0);
        if (0 == wheel.timerCount())
        {
            wheel.currentTickTime(nowNs);
        }

        if (expiredCount > 0)
        {
            Arrays.sort(expired, 0, expiredCount, Expiry.ORDER);
            final int count = expiredCount;
            expiredCount = 0;
            for (int i = 0; i < count; i++)
            {
                final Expiry expiry = expired[i];
                handler.onExpired(expiry.group, expiry.sequence);
                expiry.group = null;
            }
        }
    }

    /** Whether time has started (a command was applied): the wheel counts ticks from that command's time. */
    boolean isStarted()
    {
        return started;
    }

    /** A restored state machine's wheel starts at the snapshot's time; call before scheduling anything. */
    void restoreStart(final long nowNs)
    {
        wheel.resetStartTime(nowNs);
        started = true;
    }

    long pending()
    {
        return wheel.timerCount();
    }

    /** Deadline of the timer of a delivery in flight, or {@link #NO_DEADLINE} if it has none. */
    long deadline(final ConsumerGroup group, final long sequence)
    {
        final long timerId = group.deliveryTimers.get(sequence);
        return ConsumerGroup.NO_TIMER == timerId ? NO_DEADLINE : deadlineByTimer.get(timerId);
    }

    /** Deadline the wheel itself holds for that timer; equal to {@link #deadline} unless the two disagree. */
    long wheelDeadline(final ConsumerGroup group, final long sequence)
    {
        final long timerId = group.deliveryTimers.get(sequence);
        return ConsumerGroup.NO_TIMER == timerId ? NO_DEADLINE : wheel.deadline(timerId);
    }

    public boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long timerId)
    {
        final long deadline = deadlineByTimer.remove(timerId);
        final long sequence = sequenceByTimer.remove(timerId);
        final ConsumerGroup group = groupByTimer.remove(timerId);
        group.deliveryTimers.remove(sequence);

        if (expiredCount == expired.length)
        {
            expired = Arrays.copyOf(expired, expired.length * 2);
        }
        Expiry expiry = expired[expiredCount];
        if (null == expiry)
        {
            expiry = new Expiry();
            expired[expiredCount] = expiry;
        }
        expiredCount++;
        expiry.deadlineNs = deadline;
        expiry.group = group;
        expiry.sequence = sequence;
        return true;
    }

    /** A passed deadline waiting to be handed out in order; reused across advances. */
    private static final class Expiry
    {
        static final Comparator<Expiry> ORDER = Comparator
            .comparingLong((Expiry e) -> e.deadlineNs)
            .thenComparingLong((e) -> e.group.id)
            .thenComparingLong((e) -> e.sequence);

        long deadlineNs;
        ConsumerGroup group;
        long sequence;
    }
}
