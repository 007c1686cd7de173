package io.ringmq.daemon;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.ringmq.config.IdleStrategyType;
import io.ringmq.config.RingWaitStrategy;
import io.ringmq.transport.GrowingBackoffIdleStrategy;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Turns the configured strategy names into Disruptor wait strategies and Agrona idle strategies. */
final class Strategies
{
    private static final long BACKOFF_MAX_SPINS = 10;
    private static final long BACKOFF_MAX_YIELDS = 20;
    private static final long BACKOFF_MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(1);
    /**
     * Agrona's default backoff parks up to 1 ms, which is then the latency of a lightly loaded daemon (the perf
     * harness measured 1.7 ms p50 at 10k msg/s). Parking at most 100 us costs a few thousand wake-ups a second per
     * idle thread: 6-7% of a core each here, for the ingress and for the media driver.
     */
    private static final long BACKOFF_MAX_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);
    /** About a second of 100 us parks (more with the kernel's timer slack) before GROWING_BACKOFF parks longer. */
    private static final long GROWING_PATIENT_PARKS = 10_000;
    /**
     * The media driver's conductor takes a keepalive from every Aeron client each 500 ms (the daemon's own included),
     * which counts as work: it must grow its parks well within that, or it never does. About 10-15 ms of 100 us parks.
     */
    private static final long DRIVER_PATIENT_PARKS = 100;
    /** What an idle agent's next work may wait at most; a hundred wake-ups a second cost ~0.1% of a core. */
    static final long GROWING_MAX_IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** PHASED parks as SLEEPING does (100 ns asked, tens of us given) while commands come... */
    private static final long PHASED_PARK_NS = 100;
    /** ...and blocks after 1 ms of parks with nothing published: commands under 1 ms apart never wait for a wake-up. */
    private static final long PHASED_BLOCK_AFTER_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private Strategies()
    {
    }

    /** A new instance each call: PHASED's blocked handlers wait on its lock. */
    static WaitStrategy waitStrategy(final RingWaitStrategy type)
    {
        return switch (type)
        {
            case PHASED -> new SleepingThenBlockingWaitStrategy(PHASED_PARK_NS, PHASED_BLOCK_AFTER_NS);
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BLOCKING -> new BlockingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }

    /** A new instance each call: idle strategies hold per-thread state. */
    static IdleStrategy idleStrategy(final IdleStrategyType type)
    {
        return switch (type)
        {
            case GROWING_BACKOFF -> growingBackoff(GROWING_PATIENT_PARKS);
            case BACKOFF -> new BackoffIdleStrategy(
                BACKOFF_MAX_SPINS, BACKOFF_MAX_YIELDS, BACKOFF_MIN_PARK_NS, BACKOFF_MAX_PARK_NS);
            case YIELDING -> new YieldingIdleStrategy();
            case SLEEPING -> new SleepingMillisIdleStrategy(1);
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case NOOP -> new NoOpIdleStrategy();
        };
    }

    /**
     * The embedded media driver's agents (its one SHARED thread, which carries UDP clients' traffic, and its async
     * executor) never spin: they must not take a core the ring needs. GROWING_BACKOFF idles them as the ingress, but
     * grows their parks after 10-15 ms without work instead of a second, and only while {@code mayGrow} says so: the
     * daemon says so while no client is connected. With a client connected the driver keeps 100 us parks, because
     * long ones put 0.5 ms on the IPC ping-pong's p99 (measured; the driver's conductor still has work the clients
     * wait on now and then, and UDP traffic goes through it). Any other choice leaves them on BACKOFF.
     */
    static IdleStrategy mediaDriverIdleStrategy(final IdleStrategyType type, final BooleanSupplier mayGrow)
    {
        return IdleStrategyType.GROWING_BACKOFF == type ? growingBackoff(DRIVER_PATIENT_PARKS, mayGrow) :
            idleStrategy(IdleStrategyType.BACKOFF);
    }

    /**
     * A DEDICATED driver's threads (the low-latency profile: a core each) idle by the configured strategy itself, so
     * BUSY_SPIN spins them; GROWING_BACKOFF grows their parks as it does a SHARED driver's, while no client is
     * connected.
     */
    static IdleStrategy dedicatedDriverIdleStrategy(final IdleStrategyType type, final BooleanSupplier mayGrow)
    {
        return IdleStrategyType.GROWING_BACKOFF == type ? growingBackoff(DRIVER_PATIENT_PARKS, mayGrow) :
            idleStrategy(type);
    }

    private static IdleStrategy growingBackoff(final long patientParks)
    {
        return growingBackoff(patientParks, () -> true);
    }

    private static IdleStrategy growingBackoff(final long patientParks, final BooleanSupplier mayGrow)
    {
        return new GrowingBackoffIdleStrategy(BACKOFF_MAX_SPINS, BACKOFF_MAX_YIELDS, BACKOFF_MIN_PARK_NS,
            BACKOFF_MAX_PARK_NS, patientParks, GROWING_MAX_IDLE_PARK_NS, mayGrow);
    }
}
