package io.ringmq.daemon.cli;

import io.ringmq.client.NodeAdminClient;
import io.ringmq.transport.NodeStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code ringmq promote [--force]}: makes the standby the config points at the primary (manual failover) and prints
 * its status after. Refused on a primary, and, without --force, on a standby whose primary is still connected or that
 * stopped at a gap (it lacks commands the primary receipted).
 */
@Command(name = "promote", description = "Make the standby this config points at the primary (manual failover): it " +
    "stops following, journals a new epoch, and takes clients; prints its status after. Refused on a primary, and " +
    "without --force on a standby whose primary is still connected (stop the primary first) or that is not caught up.")
final class PromoteCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Option(names = "--force", description = "Promote even a standby that is not caught up, or whose primary is " +
        "still connected (then two nodes take clients until the old primary is stopped).")
    boolean force;

    @Option(names = "--json", description = "Print the status after as one JSON object, as 'status --json' does.")
    boolean json;

    public Integer call()
    {
        try (NodeAdminClient node = NodeAdminClient.connect(Clients.context(configOption.load(), "ringmq-promote")))
        {
            final NodeStatus status = node.promote(force);
            System.out.println(json ? NodeStatusCommand.json(status) : "promoted: " + NodeStatusCommand.text(status));
        }
        return 0;
    }
}
