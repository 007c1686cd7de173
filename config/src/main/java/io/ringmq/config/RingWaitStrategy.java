package io.ringmq.config;

/** Disruptor wait strategy of the ring's consumers ({@code ringmq.ring.wait.strategy}). */
public enum RingWaitStrategy {
    /**
     * Spins, then yields for a short while after the last event, then blocks until the next publish wakes it: as quick
     * as YIELDING under load, nothing at rest (the default).
     */
    PHASED,
    SLEEPING,
    YIELDING,
    BLOCKING,
    /** Burns a core per consumer; only sensible on pinned, isolated cores. */
    BUSY_SPIN
}
