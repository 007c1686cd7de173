package io.ringmq.config;

/**
 * What the primary does once its standby has not acked for {@code ringmq.replication.ack.timeout}
 * ({@code ringmq.replication.standby.lost}): the choice Kafka makes with min.insync.replicas.
 */
public enum ReplicationStandbyLost {
    /**
     * Stop waiting: the standby is out of sync (counted and logged once), receipts go on from the primary alone,
     * and the standby is back in sync once its ack covers everything the primary has offered it.
     */
    CONTINUE,
    /** Keep waiting: no receipt until the standby acks, so a receipt still means "on both nodes". */
    HOLD
}
