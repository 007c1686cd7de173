package io.ringmq.transport.server;

import io.ringmq.codecs.NodeAdminAction;

/**
 * Where the ingress hands what it answers off the ring: requests about the node itself (NodeAdmin: status, promote),
 * and, on a standby, Connects it refuses because clients belong on the primary. Neither is ever journaled: the
 * standby's journal stays the primary's, record for record.
 * <p>
 * Called on the ingress agent's thread; an implementation hands the work to a thread of its own (answering opens a
 * publication, which must not stall the ingress).
 */
public interface NodeRequests
{
    /** Takes nothing: a NodeAdmin is counted as refused. */
    NodeRequests NONE = new NodeRequests()
    {
        public boolean onNodeAdmin(
            final long correlationId, final NodeAdminAction action, final boolean force, final String answerChannel,
            final int responseStreamId)
        {
            return false;
        }

        public boolean onConnectToStandby(
            final long correlationId, final String answerChannel, final int responseStreamId)
        {
            return false;
        }
    };

    /**
     * A NodeAdmin whose response channel the daemon may answer on.
     *
     * @param answerChannel the channel to answer on (the one the request named, reduced to its destination).
     * @return false if it cannot be taken now (too many waiting): it is counted as refused.
     */
    boolean onNodeAdmin(
        long correlationId, NodeAdminAction action, boolean force, String answerChannel, int responseStreamId);

    /** A Connect to a standby, to be refused with NOT_PRIMARY naming the primary; false if it cannot be taken now. */
    boolean onConnectToStandby(long correlationId, String answerChannel, int responseStreamId);
}
