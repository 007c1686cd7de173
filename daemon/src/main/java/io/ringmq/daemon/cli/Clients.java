package io.ringmq.daemon.cli;

import io.aeron.exceptions.DriverTimeoutException;
import io.ringmq.client.ClientContext;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.config.RingmqConfig;

/** Connects a client to the daemon a config describes. */
final class Clients
{
    private Clients()
    {
    }

    /** Where a client finds the daemon the config describes. */
    static ClientContext context(final RingmqConfig config, final String clientName)
    {
        return new ClientContext()
            .aeronDirectoryName(config.aeronDir().toString())
            .ingressChannel(config.ingressChannel())
            .ingressStreamId(config.ingressStreamId())
            .connectTimeoutNs(config.clientConnectTimeoutNs())
            .clientName(clientName);
    }

    /**
     * A session with the daemon, or with the primary among {@code ringmq.client.nodes} when that is set: then the client
     * follows the primary through a failover for up to {@code ringmq.client.reconnect.timeout}.
     */
    static RingmqClient connect(final RingmqConfig config, final String clientName)
    {
        try
        {
            final ClientContext ctx = context(config, clientName)
                .nodes(config.clientNodes())
                .reconnectTimeoutNs(config.clientReconnectTimeoutNs())
                .connectionListener(new FollowReport(clientName));
            final RingmqClient client = RingmqClient.connect(ctx);
            if (null != ctx.aeron())
            {
                // A forced exit (a second Ctrl-C) halts without the command's own close: closing the Aeron client
                // (thread-safe, unlike the RingmqClient) ends its publication, so the daemon closes the session and
                // gives its deliveries back at once instead of once the driver finds the process gone. Following
                // ringmq.client.nodes, each link has an Aeron client of its own, not reachable here: not closed.
                StopSignals.closeOnForcedExit(ctx.aeron());
            }
            return client;
        }
        catch (final DriverTimeoutException ex)
        {
            // A daemon that died moments ago leaves a media driver heartbeat young enough to look alive; the first
            // request to it then times out here.
            throw new RingmqException("no ringmq daemon is running: the media driver in " + config.aeronDir() +
                " stopped answering (" + ex.getMessage() + ")");
        }
    }
}
