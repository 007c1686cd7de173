package io.ringmq.daemon.cli;

import io.ringmq.client.NodeAdminClient;
import io.ringmq.transport.NodeStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringmq switchover}: a planned switchover, pointed at the primary through its config. The primary stops taking
 * commands, waits until its standby has acked every one, hands over (the standby promotes itself into the next epoch)
 * and follows the new primary as its standby; prints the old primary's status after.
 */
@Command(name = "switchover", description = "Planned switchover, pointed at the primary: it stops taking commands, " +
    "waits until the standby has acked every one, hands over (the standby becomes the primary of the next epoch) and " +
    "becomes its standby; prints this node's status after. Refused on a standby, without a pair, with " +
    "ringmq.replication.ack=NONE, or while the standby is not in sync or not heard.")
final class SwitchoverCommand implements Callable<Integer>
{
    /** A drain, a handover and a promotion: the daemon gives each part up to 30 s. */
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);

    @Mixin
    ConfigOption configOption;

    @Option(names = "--json", description = "Print the status after as one JSON object, as 'status --json' does.")
    boolean json;

    public Integer call()
    {
        try (NodeAdminClient node = NodeAdminClient.connect(Clients.context(configOption.load(), "ringmq-switchover")))
        {
            final NodeStatus status = node.switchover(TIMEOUT_NS);
            System.out.println(json ? NodeStatusCommand.json(status) : "switched over: the primary is now " +
                status.primaryEndpoint() + "; this node: " + NodeStatusCommand.text(status));
        }
        return 0;
    }
}
