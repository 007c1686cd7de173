package io.ringmq.config;

/** Idle strategy of the daemon's agents, ingress and egress ({@code ringmq.idle.strategy}). */
public enum IdleStrategyType {
    BACKOFF,
    YIELDING,
    SLEEPING,
    BUSY_SPIN,
    NOOP
}
