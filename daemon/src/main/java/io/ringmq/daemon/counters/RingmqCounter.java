package io.ringmq.daemon.counters;

/**
 * Every counter a daemon keeps in its media driver's CnC file, with the Aeron counter type id that marks it as
 * ringmq's: the one list the daemon writes, {@code ringmq stat} reads and the Prometheus endpoint names. Type ids
 * are stable (readers of an older or newer daemon rely on them): never renumber, only add.
 * <p>
 * {@link #fieldName()} is the name in {@code stat}'s table and JSON (a stable contract); Prometheus names are
 * {@code ringmq_<scope>_<field name>}, with {@code _total} on counters.
 */
public enum RingmqCounter
{
    QUEUE_DEPTH(7101, Scope.QUEUE, "depth", false, "messages held, in flight included"),
    QUEUE_BYTES(7102, Scope.QUEUE, "bytes", false, "payload bytes held"),
    QUEUE_IN_FLIGHT(7103, Scope.QUEUE, "in_flight", false, "deliveries in flight, every group together"),
    QUEUE_PUBLISHED(7104, Scope.QUEUE, "published", true,
        "messages the queue took (publishes, dead letters, redrives) since its state began"),
    QUEUE_DELIVERED(7105, Scope.QUEUE, "delivered", true, "deliveries made, redeliveries included"),
    QUEUE_ACKED(7106, Scope.QUEUE, "acked", true, "deliveries acked (or replied to)"),
    QUEUE_NACKED(7107, Scope.QUEUE, "nacked", true, "deliveries nacked: requeued or rejected"),
    QUEUE_REDELIVERED(7108, Scope.QUEUE, "redelivered", true, "deliveries after the first attempt"),
    QUEUE_EXPIRED(7109, Scope.QUEUE, "expired", true, "messages that left by the queue's maximum age"),
    QUEUE_DEAD_LETTERED(7110, Scope.QUEUE, "dead_lettered", true, "copies sent to a dead-letter queue"),
    QUEUE_OLDEST_ENQUEUED(7111, Scope.QUEUE, "oldest_enqueued_ms", false,
        "epoch ms at which the oldest message held entered the queue; 0 when empty"),

    GROUP_LAG(7121, Scope.GROUP, "lag", false, "messages the group has still to settle"),
    GROUP_CONSUMERS(7122, Scope.GROUP, "consumers", false, "consumers attached"),
    GROUP_IN_FLIGHT(7123, Scope.GROUP, "in_flight", false, "deliveries in flight to the group's consumers"),

    RING_REMAINING(7131, Scope.DAEMON, "ring_remaining", false, "free slots in the command ring"),
    JOURNAL_POSITION(7132, Scope.DAEMON, "journal_position", false, "log sequence of the last command journaled"),
    JOURNAL_SYNCS(7133, Scope.DAEMON, "journal_syncs", true, "fsyncs of the journal"),
    JOURNAL_SYNC_TIME(7134, Scope.DAEMON, "journal_sync_ns", true, "time spent in journal fsyncs, nanoseconds"),
    JOURNAL_SYNCS_SLOW(7143, Scope.DAEMON, "journal_syncs_slow", true,
        "journal fsyncs that took ringmq.journal.fsync.slow or longer"),
    SNAPSHOTS(7135, Scope.DAEMON, "snapshots", true, "snapshots written"),
    SESSIONS(7136, Scope.DAEMON, "sessions", false, "client sessions open"),
    FRAMES_REFUSED(7137, Scope.DAEMON, "frames_refused", true, "frames the ingress refused"),
    REPLICATION_LAG(7138, Scope.DAEMON, "replication_lag", false,
        "commands shipped to the standby that it has not acked; 0 without a standby"),
    REPLICATION_IN_SYNC(7139, Scope.DAEMON, "replication_in_sync", false,
        "1 while receipts wait for the standby's acks; 0 without a standby, or once a lost one was dropped"),

    GROUPS_EXPIRED(7140, Scope.DAEMON, "groups_expired", true,
        "groups ringmq.queue.group.expiry deleted (no consumer for that long), since the daemon went live"),
    QUEUES_EXPIRED(7142, Scope.DAEMON, "queues_expired", true,
        "queues ringmq.queue.expiry deleted (idle for that long), since the daemon went live"),
    ERRORS(7141, Scope.ERROR, "errors", true, "error responses, by code"),

    STAGE_COUNT(7151, Scope.STAGE, "count", true, "latencies recorded since start"),
    STAGE_SUM(7152, Scope.STAGE, "sum_ns", true, "sum of the latencies recorded since start, nanoseconds"),
    STAGE_P50(7153, Scope.STAGE, "p50_ns", false, "median latency over the last busy second, nanoseconds"),
    STAGE_P90(7154, Scope.STAGE, "p90_ns", false, "90th percentile latency over the last busy second, nanoseconds"),
    STAGE_P99(7155, Scope.STAGE, "p99_ns", false, "99th percentile latency over the last busy second, nanoseconds"),
    STAGE_P999(7156, Scope.STAGE, "p99_9_ns", false, "99.9th percentile latency over the last busy second, nanoseconds"),
    STAGE_MAX(7157, Scope.STAGE, "max_ns", false, "highest latency over the last busy second, nanoseconds");

    /** What a counter describes, and so what its key names. */
    public enum Scope
    {
        /** One queue: the key names it. */
        QUEUE,
        /** One group of a queue: the key names both. */
        GROUP,
        /** The daemon as a whole: no key. */
        DAEMON,
        /** One error code: the key names it. */
        ERROR,
        /** One stage of the pipeline ({@code io.ringmq.daemon.pipeline.Stage}): the key names it. */
        STAGE
    }

    private static final RingmqCounter[] BY_TYPE_OFFSET = new RingmqCounter[64];
    private static final int FIRST_TYPE_ID = 7100;

    static
    {
        for (final RingmqCounter counter : values())
        {
            BY_TYPE_OFFSET[counter.typeId - FIRST_TYPE_ID] = counter;
        }
    }

    private final int typeId;
    private final Scope scope;
    private final String fieldName;
    private final boolean monotonic;
    private final String help;

    RingmqCounter(final int typeId, final Scope scope, final String fieldName, final boolean monotonic,
        final String help)
    {
        this.typeId = typeId;
        this.scope = scope;
        this.fieldName = fieldName;
        this.monotonic = monotonic;
        this.help = help;
    }

    /** The counter with this Aeron type id, or null if the id is not one of ringmq's. */
    public static RingmqCounter ofTypeId(final int typeId)
    {
        final int offset = typeId - FIRST_TYPE_ID;
        return offset < 0 || offset >= BY_TYPE_OFFSET.length ? null : BY_TYPE_OFFSET[offset];
    }

    public int typeId()
    {
        return typeId;
    }

    public Scope scope()
    {
        return scope;
    }

    /** Its name in {@code ringmq stat}'s table and JSON. */
    public String fieldName()
    {
        return fieldName;
    }

    /** True for a count that only grows (a Prometheus counter); false for a level (a gauge). */
    public boolean monotonic()
    {
        return monotonic;
    }

    public String help()
    {
        return help;
    }

    /** The label AeronStat shows before the key's names, e.g. "ringmq queue depth". */
    String labelPrefix()
    {
        return "ringmq " + scope.name().toLowerCase() + " " + fieldName.replace('_', ' ');
    }
}
