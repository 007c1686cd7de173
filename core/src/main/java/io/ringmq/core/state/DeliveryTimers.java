package io.ringmq.core.state;

import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongObjConsumer;

import java.util.ArrayDeque;
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
 * The wheel is polled once per tick, not once per command: a timer goes on the wheel at the start of the tick its
 * deadline falls in, so when time enters that tick the wheel hands it over (one scan of the tick's slots for every
 * command it contains, instead of one per command). Handed over early, it waits in a short list of timers due within
 * the current tick, checked exactly against each command's time: expiry is still exactly "deadline ≤ now". A timer
 * due within the current tick when it is scheduled (a short delay) goes straight to that list.
 * <p>
 * Most deadlines never touch the wheel: every delivery gets now + the same timeout, so deadlines arrive in order and
 * wait in a {@link DeadlineFifo} (append to schedule, mark to cancel, take from the head to expire). Only a deadline
 * earlier than the last one scheduled (another timeout, an extend, a delay) goes to the wheel, whose slot search per
 * timer grows with the timers per tick.
 * <p>
 * The earliest pending deadline ({@link #nextDeadlineNs()}) tells the daemon when to journal a tick while no command
 * comes. The FIFO's head and the short current-tick list give theirs exactly; the wheel cannot say, so the earliest
 * deadline put on it is kept beside it, never later than the real one (a cancel leaves it early) and found again by
 * one scan of the timers, at most once per wheel tick, once time has passed it.
 * <p>
 * Timer ids: a FIFO timer's id has {@link DeadlineFifo#ID_BIT} set; a wheel timer's id is the wheel's (non-negative,
 * reused once its slot is free); a timer in the current-tick list has a negative id of its own. Either way the id's
 * mapping to (group, sequence) is removed on every cancel and expiry.
 */
final class DeliveryTimers implements DeadlineTimerWheel.TimerHandler
{
    /** 2^22 ns ≈ 4.2 ms: fine enough that a tick holds few timers, coarse enough that long gaps cost few ticks. */
    static final long TICK_RESOLUTION_NS = 1L << 22;
    private static final int TICK_SHIFT = 22;
    private static final int TICKS_PER_WHEEL = 1024;
    static final long NO_DEADLINE = -1;

    @FunctionalInterface
    interface ExpiryHandler
    {
        void onExpired(ConsumerGroup group, long sequence);
    }

    private final DeadlineTimerWheel wheel =
        new DeadlineTimerWheel(TimeUnit.NANOSECONDS, 0, TICK_RESOLUTION_NS, TICKS_PER_WHEEL);
    /** What each timer is for, and its exact deadline (the wheel holds the start of its tick): one lookup per use. */
    private final Long2ObjectHashMap<Timer> timers = new Long2ObjectHashMap<>();
    /** Timers no longer pending, for reuse: scheduling allocates nothing once warm. */
    private final ArrayDeque<Timer> freeTimers = new ArrayDeque<>();
    /** Ids of the timers due within the current tick, taken off the wheel (or never put on it). */
    private final LongArrayList dueThisTick = new LongArrayList();
    /** Deadlines scheduled in order (the usual case) skip the wheel. */
    private final DeadlineFifo fifo = new DeadlineFifo();
    private long nextDueThisTickId = -1;
    private Expiry[] expired = new Expiry[64];
    private int expiredCount;
    private boolean started;
    private long startNs;
    /** Start of the first tick the wheel has not handed over yet: until a command reaches it, no poll is needed. */
    private long nextPollNs;
    private long advancingToNs;
    /** No timer on the wheel is due before this: exact after a scan, early (never late) after a cancel. */
    private long wheelEarliestNs = Long.MAX_VALUE;
    /** Finds {@link #wheelEarliestNs} again (wheel timers have the non-negative ids); allocated once. */
    private final LongObjConsumer<Timer> earliestOnWheel = (timerId, timer) ->
    {
        if (timerId >= 0)
        {
            wheelEarliestNs = Math.min(wheelEarliestNs, timer.deadlineNs);
        }
    };

    void schedule(final ConsumerGroup group, final long sequence, final long deadlineNs)
    {
        if (fifo.accepts(deadlineNs))
        {
            group.deliveryTimers.put(sequence, fifo.append(group, sequence, deadlineNs));
            return;
        }
        final long timerId;
        if (started && deadlineNs < nextPollNs)
        {
            timerId = nextDueThisTickId--;
            dueThisTick.addLong(timerId);
        }
        else
        {
            timerId = wheel.scheduleTimer(tickStart(deadlineNs));
            wheelEarliestNs = Math.min(wheelEarliestNs, deadlineNs);
        }
        track(timerId, group, sequence, deadlineNs);
    }

    void cancel(final ConsumerGroup group, final long sequence)
    {
        final long timerId = group.deliveryTimers.remove(sequence);
        if (ConsumerGroup.NO_TIMER == timerId)
        {
            return;
        }
        if (DeadlineFifo.isFifoId(timerId))
        {
            fifo.cancel(timerId);
            return;
        }
        if (timerId >= 0)
        {
            wheel.cancelTimer(timerId);
        }
        else
        {
            dueThisTick.removeLong(timerId);
        }
        release(timers.remove(timerId));
    }

    /** Expires every deadline at or before {@code nowNs}, in (deadline, group id, sequence) order. */
    void advanceTo(final long nowNs, final ExpiryHandler handler)
    {
        if (!started)
        {
            // The wheel counts ticks from its start time; start it at the first command's time, not at epoch 0.
            start(nowNs);
        }
        if (nowNs >= nextPollNs)
        {
            pollWheel(nowNs);
        }
        for (int i = dueThisTick.size() - 1; i >= 0; i--)
        {
            final long timerId = dueThisTick.getLong(i);
            if (timers.get(timerId).deadlineNs <= nowNs)
            {
                dueThisTick.fastUnorderedRemove(i);
                expire(timerId);
            }
        }
        while (fifo.headDue(nowNs))
        {
            final ConsumerGroup group = fifo.headGroup();
            final long sequence = fifo.headSequence();
            addExpiry(fifo.headDeadline(), group, sequence);
            group.deliveryTimers.remove(sequence);
            fifo.expireHead();
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

    /** Hands over every wheel timer of the ticks up to the one {@code nowNs} is in. */
    private void pollWheel(final long nowNs)
    {
        advancingToNs = nowNs;
        if (0 == wheel.timerCount())
        {
            wheel.currentTickTime(nowNs); // nothing to hand over: jump, instead of walking every idle tick
        }
        else
        {
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
        }
        nextPollNs = tickStart(nowNs) + TICK_RESOLUTION_NS;
        // Every timer left on the wheel is due in a later tick: an earliest deadline before that one is stale.
        if (wheelEarliestNs < nextPollNs)
        {
            wheelEarliestNs = Long.MAX_VALUE;
            if (wheel.timerCount() > 0)
            {
                timers.forEachLong(earliestOnWheel);
            }
        }
    }

    /** The wheel hands over a timer whose tick has come: expired if its deadline has, else due later this tick. */
    public boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long wheelTimerId)
    {
        final Timer timer = timers.get(wheelTimerId);
        if (timer.deadlineNs <= advancingToNs)
        {
            expire(wheelTimerId);
        }
        else
        {
            timers.remove(wheelTimerId);
            final long timerId = nextDueThisTickId--;
            dueThisTick.addLong(timerId);
            timers.put(timerId, timer);
            timer.group.deliveryTimers.put(timer.sequence, timerId);
        }
        return true;
    }

    private void track(final long timerId, final ConsumerGroup group, final long sequence, final long deadlineNs)
    {
        group.deliveryTimers.put(sequence, timerId);
        Timer timer = freeTimers.pollFirst();
        if (null == timer)
        {
            timer = new Timer();
        }
        timer.group = group;
        timer.sequence = sequence;
        timer.deadlineNs = deadlineNs;
        timers.put(timerId, timer);
    }

    private void release(final Timer timer)
    {
        timer.group = null;
        freeTimers.addFirst(timer);
    }

    private void expire(final long timerId)
    {
        final Timer timer = timers.remove(timerId);
        final long deadline = timer.deadlineNs;
        final long sequence = timer.sequence;
        final ConsumerGroup group = timer.group;
        release(timer);
        group.deliveryTimers.remove(sequence);
        addExpiry(deadline, group, sequence);
    }

    private void addExpiry(final long deadline, final ConsumerGroup group, final long sequence)
    {
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
    }

    private void start(final long nowNs)
    {
        wheel.resetStartTime(nowNs);
        startNs = nowNs;
        nextPollNs = nowNs + TICK_RESOLUTION_NS;
        started = true;
    }

    /** Start of the wheel tick a time falls in (times before the wheel's start fall in its first tick). */
    private long tickStart(final long timeNs)
    {
        return timeNs <= startNs ? startNs : startNs + (((timeNs - startNs) >>> TICK_SHIFT) << TICK_SHIFT);
    }

    /** Whether time has started (a command was applied): the wheel counts ticks from that command's time. */
    boolean isStarted()
    {
        return started;
    }

    /** A restored state machine's wheel starts at the snapshot's time; call before scheduling anything. */
    void restoreStart(final long nowNs)
    {
        start(nowNs);
    }

    long pending()
    {
        return wheel.timerCount() + dueThisTick.size() + fifo.pending();
    }

    /**
     * The earliest deadline of a pending timer, or {@link Long#MAX_VALUE} if none: exact, or early after a cancel,
     * never late. An advance to it or past it expires every timer due by then. Allocates nothing.
     */
    long nextDeadlineNs()
    {
        long earliest = Math.min(fifo.nextDeadlineNs(), wheel.timerCount() > 0 ? wheelEarliestNs : Long.MAX_VALUE);
        for (int i = 0, size = dueThisTick.size(); i < size; i++)
        {
            earliest = Math.min(earliest, timers.get(dueThisTick.getLong(i)).deadlineNs);
        }
        return earliest;
    }

    /** Deadline of the timer of a delivery in flight (or a delayed message), or {@link #NO_DEADLINE} if none. */
    long deadline(final ConsumerGroup group, final long sequence)
    {
        final long timerId = group.deliveryTimers.get(sequence);
        if (ConsumerGroup.NO_TIMER == timerId)
        {
            return NO_DEADLINE;
        }
        return DeadlineFifo.isFifoId(timerId) ? fifo.deadline(timerId) : timers.get(timerId).deadlineNs;
    }

    /** A pending timer: the delivery (or delayed message) it is for and its exact deadline; pooled. */
    private static final class Timer
    {
        ConsumerGroup group;
        long sequence;
        long deadlineNs;
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
