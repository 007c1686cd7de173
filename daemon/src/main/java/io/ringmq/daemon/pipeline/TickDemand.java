package io.ringmq.daemon.pipeline;

import io.ringmq.core.state.QueueStateMachine;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When the dispatcher needs a turn though no command comes: the earliest time on the daemon's clock (the one commands
 * carry) at which the state machine has something due ({@link QueueStateMachine#nextDeadlineNs()}), and whether
 * responses wait for a client to have room (the egress must retry). Published by the dispatch thread at the end of
 * each batch and read by the ingress, which journals a tick once its clock reaches that deadline, or while responses
 * wait: an idle daemon writes nothing until something is due, however far ahead its pending timers are.
 * <p>
 * A command that makes an earlier deadline is applied in a later batch, whose end publishes it; the ingress reads the
 * newest value every duty cycle, so no deadline waits for one published before it.
 */
public final class TickDemand
{
    /** Nothing pending: time need not arrive. */
    static final long NOTHING_DUE = Long.MAX_VALUE;

    private final AtomicLong nextDeadlineNs = new AtomicLong(NOTHING_DUE);
    private final AtomicBoolean responsesWaiting = new AtomicBoolean();

    void publish(final long nextDeadlineNs, final boolean responsesWaiting)
    {
        this.nextDeadlineNs.lazySet(nextDeadlineNs);
        this.responsesWaiting.lazySet(responsesWaiting);
    }

    /** The earliest command time at which a timer is due, or {@link #NOTHING_DUE}. */
    long nextDeadlineNs()
    {
        return nextDeadlineNs.get();
    }

    boolean responsesWaiting()
    {
        return responsesWaiting.get();
    }
}
