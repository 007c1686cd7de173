package io.ringmq.daemon.cli;

import io.ringmq.client.ClientNode;
import io.ringmq.client.ConnectionListener;

/** Tells the CLI's user on stderr, one line each, when a command's client loses its node and reconnects. */
final class FollowReport implements ConnectionListener
{
    private final String command;

    FollowReport(final String command)
    {
        this.command = command;
    }

    public void onLost(final ClientNode node, final String reason)
    {
        System.err.println(command + ": lost the node " + node + " (" + reason + "); looking for the primary");
    }

    public void onReconnected(final ClientNode node, final int resent, final long notResent)
    {
        System.err.println(command + ": reconnected to " + node + (resent > 0 ? ", " + resent +
            " unreceipted publishes sent again" : "") + (notResent > 0 ? ", " + notResent +
            " publishes without a producer id unanswered (not sent again: they may or may not be stored)" : ""));
    }

    public void onGaveUp(final String reason)
    {
        System.err.println(command + ": " + reason);
    }
}
