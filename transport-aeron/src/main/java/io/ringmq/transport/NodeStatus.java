package io.ringmq.transport;

/**
 * What a node of a pair (or a daemon alone) says about itself in answer to {@code ringmq status}: the same value on
 * the daemon that builds it and the client that reads it.
 *
 * @param role            {@code primary} or {@code standby}.
 * @param epoch           the pair's epoch in the node's state (1 until a standby was first promoted).
 * @param logSequence     the last command applied to the state the digest is of.
 * @param digest          a 64-bit hash of the state at {@code logSequence}: nodes at the same log sequence with
 *                        equal states have equal digests.
 * @param lagCommands     primary: commands shipped to the standby and not acked; standby: received, not applied.
 * @param lagMicros       primary: how long the standby has not had all that was shipped; standby: the primary's
 *                        time between the last command received and the last applied. 0 when there is no lag.
 * @param inSync          primary: a standby is connected and receipts wait for it (or it keeps up, mode none);
 *                        standby: connected to a primary, no gap, nothing received left to apply.
 * @param primaryEndpoint the pair's primary as this node knows it ({@code HOST:PORT}); empty without a pair.
 * @param peerAlive       a heartbeat of the pair's other node arrived within the heartbeat timeout; false without a
 *                        pair.
 * @param witnessReachable the pair's witness answered this node within two leases; false without a witness
 *                        (no automatic failover then).
 */
public record NodeStatus(
    String role,
    long epoch,
    long logSequence,
    long digest,
    long lagCommands,
    long lagMicros,
    boolean inSync,
    String primaryEndpoint,
    boolean peerAlive,
    boolean witnessReachable)
{
    public static final String PRIMARY = "primary";
    public static final String STANDBY = "standby";

    public boolean isPrimary()
    {
        return PRIMARY.equals(role);
    }

    /** The digest as the CLI prints it: 16 hex digits. */
    public String digestHex()
    {
        return String.format("%016x", digest);
    }
}
