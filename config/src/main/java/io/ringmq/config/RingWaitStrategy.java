package io.ringmq.config;

/** Disruptor wait strategy of the ring's consumers ({@code ringmq.ring.wait.strategy}). */
public enum RingWaitStrategy {
    SLEEPING,
    YIELDING,
    BLOCKING,
    /** Burns a core per consumer; only sensible on pinned, isolated cores. */
    BUSY_SPIN
}
