package io.ringmq.daemon.pipeline;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the dispatcher needs turns when no command comes: the state machine has timers pending (time must pass
 * on the daemon's clock), or responses wait for a client to have room (the egress must retry). Published by the
 * dispatch thread and read by the ingress, which journals ticks only while either holds: an idle daemon with
 * nothing to time out writes nothing.
 */
public final class TickDemand
{
    private final AtomicBoolean timersPending = new AtomicBoolean();
    private final AtomicBoolean responsesWaiting = new AtomicBoolean();

    void publish(final boolean timersPending, final boolean responsesWaiting)
    {
        this.timersPending.lazySet(timersPending);
        this.responsesWaiting.lazySet(responsesWaiting);
    }

    boolean timersPending()
    {
        return timersPending.get();
    }

    boolean responsesWaiting()
    {
        return responsesWaiting.get();
    }
}
