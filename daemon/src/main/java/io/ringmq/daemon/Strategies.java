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

/** Turns the configured strategy names into Disruptor wait strategies and Agrona idle strategies. */
final class Strategies
{
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
            case BACKOFF -> new BackoffIdleStrategy();
            case YIELDING -> new YieldingIdleStrategy();
            case SLEEPING -> new SleepingMillisIdleStrategy(1);
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case NOOP -> new NoOpIdleStrategy();
        };
    }
}
