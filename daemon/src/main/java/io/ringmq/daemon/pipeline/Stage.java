package io.ringmq.daemon.pipeline;

/**
 * The stages of a command's and a message's way through the daemon whose latency is recorded, each by the one thread
 * that owns the stage's end. {@link #label()} names it in {@code ringmq stat}, the .hlog tags and Prometheus' {@code
 * stage} label (a stable contract).
 */
public enum Stage
{
    /** Taken by the ingress to journaled (durable per the fsync policy: at its batch's end). Journal thread. */
    INGRESS_TO_JOURNALED("ingress_to_journaled", false),
    /** Taken by the ingress to shipped to the standby, and acked by it when acks are awaited. Replicator thread. */
    INGRESS_TO_REPLICATED("ingress_to_replicated", false),
    /** Taken by the ingress to applied to the state machine (its outputs are on their way). Dispatch thread. */
    INGRESS_TO_DISPATCHED("ingress_to_dispatched", true),
    /**
     * One sync of the journal to the device ({@code ringmq.journal.fsync} BATCH or INTERVAL): what every receipt of
     * its batch waited for. The thread that syncs (the sync stage's, or the one ring thread).
     */
    JOURNAL_SYNC("journal_sync", false),
    /**
     * A message's publish to its first delivery, in command time (a delay the publisher asked for included).
     * Dispatch thread.
     */
    PUBLISH_TO_DELIVER("publish_to_deliver", true),
    /** A delivery to its ack (or reply), in command time. Dispatch thread. */
    DELIVER_TO_ACK("deliver_to_ack", true),
    /** A request's publish to its reply reaching the daemon, in command time. Dispatch thread. */
    REQUEST_TO_REPLY("request_to_reply", true);

    private final String label;
    private final boolean dispatchThread;

    Stage(final String label, final boolean dispatchThread)
    {
        this.label = label;
        this.dispatchThread = dispatchThread;
    }

    /** Whether the dispatch thread records it (and so flushes it at the end of each batch it applies). */
    public boolean dispatchThread()
    {
        return dispatchThread;
    }

    public String label()
    {
        return label;
    }
}
