package io.ringmq.daemon.failover;

/**
 * The witness's one-member cluster, derived from {@code ringmq.replication.witness.endpoint=HOST:PORT}: the nodes'
 * cluster ingress on PORT, and the member's consensus, log, catch-up and archive control endpoints on the next four
 * ports of the same host.
 */
record WitnessEndpoints(String host, int port)
{
    static WitnessEndpoints of(final String endpoint)
    {
        final int colon = endpoint.lastIndexOf(':');
        return new WitnessEndpoints(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
    }

    String ingress()
    {
        return host + ":" + port;
    }

    String archiveControl()
    {
        return host + ":" + (port + 4);
    }

    String logControl()
    {
        return host + ":" + (port + 2);
    }

    /** The one member, as ConsensusModule's clusterMembers takes it: id,ingress,consensus,log,catchup,archive. */
    String clusterMembers()
    {
        return "0," + ingress() + "," + host + ":" + (port + 1) + "," + logControl() + "," + host + ":" + (port + 3) +
            "," + archiveControl();
    }

    /** What the nodes' cluster clients take as ingressEndpoints. */
    String ingressEndpoints()
    {
        return "0=" + ingress();
    }
}
