package io.ringmq.config;

/** Idle strategy of the daemon's agents, ingress and egress ({@code ringmq.idle.strategy}). */
public enum IdleStrategyType {
    /**
     * BACKOFF while work comes now and then; after about a second with none, parks longer each time, up to 10 ms: an
     * idle daemon costs next to nothing, and the first frame after a long quiet waits up to that (the default).
     */
    GROWING_BACKOFF,
    BACKOFF,
    YIELDING,
    SLEEPING,
    BUSY_SPIN,
    NOOP
}
