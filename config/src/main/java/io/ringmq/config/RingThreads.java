package io.ringmq.config;

/** Which threads run a node's pipeline when it has no standby to ship to ({@code ringmq.ring.threads}). */
public enum RingThreads {
    /**
     * One thread polls the client ingress, journals and dispatches: a lone command crosses no thread (the default).
     * The thread idles by {@code ringmq.idle.strategy}.
     */
    ONE,
    /**
     * The ingress, the journal and the dispatcher each on a thread of its own, overlapping under load; the ring's two
     * threads wait by {@code ringmq.ring.wait.strategy}. A node with a standby always runs this way.
     */
    PER_STAGE
}
