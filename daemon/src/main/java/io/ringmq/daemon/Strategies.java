package io.ringmq.daemon;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.ringmq.config.IdleStrategyType;
import io.ringmq.config.RingWaitStrategy;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;

/** Turns the configured strategy names into Disruptor wait strategies and Agrona idle strategies. */
final class Strategies
{
    /**
     * Agrona's default backoff parks up to 1 ms, which is then the latency of a lightly loaded daemon (the perf
     * harness measured 1.7 ms p50 at 10k msg/s). Parking at most 100 us costs a few thousand wake-ups a second per
     * idle thread and keeps an idle daemon off the CPU.
     */
    private static final long BACKOFF_MAX_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);

    private Strategies()
    {
    }

    static WaitStrategy waitStrategy(final RingWaitStrategy type)
    {
        return switch (type)
        {
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
            case BACKOFF -> new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), BACKOFF_MAX_PARK_NS);
            case YIELDING -> new YieldingIdleStrategy();
            case SLEEPING -> new SleepingMillisIdleStrategy(1);
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case NOOP -> new NoOpIdleStrategy();
        };
    }
}
