package io.ringmq.transport;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A backoff whose parks grow the longer nothing comes, for agents that are idle for minutes on a shared machine:
 * <ol>
 *   <li>spins, then yields, then parks from {@code minParkNs} doubling up to {@code maxParkNs}, like Agrona's
 *   {@code BackoffIdleStrategy}: work that comes now and then is taken within {@code maxParkNs};</li>
 *   <li>once it has parked {@code patientParks} times at {@code maxParkNs} (at least once) with no work in between,
 *   each park is twice the one before, up to {@code maxIdleParkNs}: at rest the agent wakes a hundred times a second
 *   instead of thousands, and the first work after the quiet waits up to {@code maxIdleParkNs}.</li>
 * </ol>
 * Any work ({@link #reset()}) goes back to spinning. Counts parks rather than reading a clock, so stepping it by hand
 * gives the same sequence every time. While {@code mayGrow} says no, it stays at {@code maxParkNs} (step 1 only), and
 * leaves a long park at once when it turns to no.
 * <p>
 * Not thread-safe: one instance per agent thread.
 */
public final class GrowingBackoffIdleStrategy implements IdleStrategy
{
    private final long maxSpins;
    private final long maxYields;
    private final long minParkNs;
    private final long maxParkNs;
    private final long patientParks;
    private final long maxIdleParkNs;
    private final LongConsumer parker;
    private final BooleanSupplier mayGrow;
    private long spins;
    private long yields;
    private long parkNs;
    private long parksAtMax;

    public GrowingBackoffIdleStrategy(
        final long maxSpins, final long maxYields, final long minParkNs, final long maxParkNs, final long patientParks,
        final long maxIdleParkNs)
    {
        this(maxSpins, maxYields, minParkNs, maxParkNs, patientParks, maxIdleParkNs, () -> true);
    }

    /** @param mayGrow asked before each park past step 1: false keeps the parks at {@code maxParkNs}. */
    public GrowingBackoffIdleStrategy(
        final long maxSpins, final long maxYields, final long minParkNs, final long maxParkNs, final long patientParks,
        final long maxIdleParkNs, final BooleanSupplier mayGrow)
    {
        this(maxSpins, maxYields, minParkNs, maxParkNs, patientParks, maxIdleParkNs, mayGrow, LockSupport::parkNanos);
    }

    /**
     * @param parker parks the thread for the given ns (tests record the sequence instead).
     */
    public GrowingBackoffIdleStrategy(
        final long maxSpins, final long maxYields, final long minParkNs, final long maxParkNs, final long patientParks,
        final long maxIdleParkNs, final BooleanSupplier mayGrow, final LongConsumer parker)
    {
        if (minParkNs < 1 || maxParkNs < minParkNs || maxIdleParkNs < maxParkNs || patientParks < 0)
        {
            throw new IllegalArgumentException("parks must grow: 1 <= minParkNs " + minParkNs + " <= maxParkNs " +
                maxParkNs + " <= maxIdleParkNs " + maxIdleParkNs + ", patientParks " + patientParks + " >= 0");
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.patientParks = patientParks;
        this.maxIdleParkNs = maxIdleParkNs;
        this.parker = parker;
        this.mayGrow = mayGrow;
        reset();
    }

    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    public void idle()
    {
        if (spins < maxSpins)
        {
            spins++;
            Thread.onSpinWait();
        }
        else if (yields < maxYields)
        {
            yields++;
            Thread.yield();
        }
        else
        {
            parker.accept(parkNs);
            parkNs = nextParkNs();
        }
    }

    private long nextParkNs()
    {
        if (parkNs < maxParkNs)
        {
            return Math.min(parkNs << 1, maxParkNs);
        }
        if (!mayGrow.getAsBoolean())
        {
            parksAtMax = 0;
            return maxParkNs;
        }
        if (++parksAtMax < patientParks)
        {
            return maxParkNs;
        }
        return Math.min(parkNs << 1, maxIdleParkNs);
    }

    public void reset()
    {
        spins = 0;
        yields = 0;
        parkNs = minParkNs;
        parksAtMax = 0;
    }

    public String alias()
    {
        return "growing-backoff";
    }

    public String toString()
    {
        return "GrowingBackoffIdleStrategy{maxSpins=" + maxSpins + ", maxYields=" + maxYields + ", minParkNs=" +
            minParkNs + ", maxParkNs=" + maxParkNs + ", patientParks=" + patientParks + ", maxIdleParkNs=" +
            maxIdleParkNs + "}";
    }
}
