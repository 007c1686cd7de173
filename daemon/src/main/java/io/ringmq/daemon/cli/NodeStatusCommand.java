package io.ringmq.daemon.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ringmq.client.NodeAdminClient;
import io.ringmq.transport.NodeStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * {@code ringmq status [--json]}: what the node the config points at is (primary or standby), its epoch, the log
 * sequence and digest of its state, and how far its pair lags. A standby answers it too. The JSON field names are a
 * stable contract.
 */
@Command(name = "status", description = "Show what this node is and where its state stands: role, epoch, last log " +
    "sequence, replication lag (commands and microseconds), in sync or not, and the digest of its state (equal on " +
    "both nodes of a pair at the same log sequence). A standby answers it too.")
final class NodeStatusCommand implements Callable<Integer>
{
    private static final JsonFactory JSON = new JsonFactory();

    @Mixin
    ConfigOption configOption;

    @Option(names = "--json", description = "One JSON object: role, epoch, logSequence, lagCommands, lagMicros, " +
        "inSync, peerAlive, witnessReachable, digest (16 hex digits), primaryEndpoint.")
    boolean json;

    public Integer call()
    {
        try (NodeAdminClient node = NodeAdminClient.connect(Clients.context(configOption.load(), "ringmq-status")))
        {
            final NodeStatus status = node.status();
            System.out.println(json ? json(status) : text(status));
        }
        return 0;
    }

    static String text(final NodeStatus status)
    {
        return "role=" + status.role() + " epoch=" + status.epoch() + " logSequence=" + status.logSequence() +
            " lagCommands=" + status.lagCommands() + " lagMicros=" + status.lagMicros() + " inSync=" +
            status.inSync() + " peerAlive=" + status.peerAlive() + " witnessReachable=" + status.witnessReachable() +
            " digest=" + status.digestHex() +
            (status.primaryEndpoint().isEmpty() ? "" : " primary=" + status.primaryEndpoint());
    }

    static String json(final NodeStatus status)
    {
        final StringWriter line = new StringWriter(200);
        try (JsonGenerator out = JSON.createGenerator(line))
        {
            out.writeStartObject();
            out.writeStringField("role", status.role());
            out.writeNumberField("epoch", status.epoch());
            out.writeNumberField("logSequence", status.logSequence());
            out.writeNumberField("lagCommands", status.lagCommands());
            out.writeNumberField("lagMicros", status.lagMicros());
            out.writeBooleanField("inSync", status.inSync());
            out.writeBooleanField("peerAlive", status.peerAlive());
            out.writeBooleanField("witnessReachable", status.witnessReachable());
            out.writeStringField("digest", status.digestHex());
            out.writeStringField("primaryEndpoint", status.primaryEndpoint());
            out.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return line.toString();
    }
}
