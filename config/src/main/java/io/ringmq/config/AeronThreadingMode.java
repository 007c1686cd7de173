package io.ringmq.config;

/** How the embedded media driver runs its agents: {@code ringmq.aeron.threading.mode}. */
public enum AeronThreadingMode {
    /** One thread runs the conductor, sender and receiver: a fraction of a core (IPC data does not pass through it). */
    SHARED,
    /** A thread each for the conductor, the sender and the receiver: three cores where they spin. */
    DEDICATED
}
