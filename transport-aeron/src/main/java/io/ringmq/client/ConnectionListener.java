package io.ringmq.client;

/**
 * Told what happens to a following client's connection ({@link ClientContext#nodes}): the node was lost, the client
 * reconnected to the primary, or it gave up. Called on the client's thread, inside the call that noticed (a poll, a
 * blocking call); it must not call the client back with a blocking call.
 */
public interface ConnectionListener
{
    /** Does nothing. */
    ConnectionListener NONE = new ConnectionListener()
    {
    };

    /**
     * The connected node is gone, or no longer the primary; the client now looks for the primary among the nodes.
     *
     * @param node   the node that was lost.
     * @param reason what the client saw.
     */
    default void onLost(final ClientNode node, final String reason)
    {
    }

    /**
     * Connected to the primary again under a new session: consumers are subscribed again with their settings (what
     * they held unacked comes again, as a later attempt), and the unreceipted publishes of idempotent producers were
     * sent again with their producer ids and sequences (the daemon enqueues each once).
     *
     * @param node            the node now connected.
     * @param resent          publishes sent again.
     * @param notResent       publishes without a producer id that were unanswered when the node was lost: they may or
     *                        may not have been stored, and are not sent again.
     */
    default void onReconnected(final ClientNode node, final int resent, final long notResent)
    {
    }

    /** No node took the client within the reconnect timeout: the client is closed, and calls on it throw. */
    default void onGaveUp(final String reason)
    {
    }
}
