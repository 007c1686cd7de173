package io.ringmq.daemon.cli;

import io.ringmq.client.ClientContext;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;

/** Connects a client to the daemon a config describes. */
final class Clients
{
    private Clients()
    {
    }

    static RingmqClient connect(final RingmqConfig config, final String clientName)
    {
        return RingmqClient.connect(new ClientContext()
            .aeronDirectoryName(config.aeronDir().toString())
            .ingressChannel(config.ingressChannel())
            .ingressStreamId(config.ingressStreamId())
            .connectTimeoutNs(config.clientConnectTimeoutNs())
            .clientName(clientName));
    }
}
