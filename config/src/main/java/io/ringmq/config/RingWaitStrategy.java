package io.ringmq.config;

/** Disruptor wait strategy of the ring's consumers ({@code ringmq.ring.wait.strategy}). */
public enum RingWaitStrategy {
    /**
     * As SLEEPING (spin, yield, short parks) while commands come; after 1 ms with none, blocks until the next publish
     * wakes it: nothing at rest (the default).
     */
    PHASED,
    SLEEPING,
    YIELDING,
    BLOCKING,
    /** Burns a core per consumer; only sensible on pinned, isolated cores. */
    BUSY_SPIN
}
