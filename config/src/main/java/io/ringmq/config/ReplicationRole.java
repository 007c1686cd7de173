package io.ringmq.config;

/** What a node of a replicated pair does ({@code ringmq.replication.role}, or {@code bin/ringmq daemon --role}). */
public enum ReplicationRole {
    /** Takes clients, journals, ships every command to the standby and waits for its ack per the ack mode. */
    PRIMARY,
    /** Takes no clients: journals and applies the primary's commands, outputs suppressed, and acks them. */
    STANDBY
}
