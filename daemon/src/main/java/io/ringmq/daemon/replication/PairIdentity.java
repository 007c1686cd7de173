package io.ringmq.daemon.replication;

import io.ringmq.config.ReplicationRole;
import io.ringmq.config.RingmqConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which of the pair's two endpoints is this node's. Both nodes keep the same two keys
 * ({@code ringmq.replication.primary.endpoint}, {@code ...standby.endpoint}), which name the nodes as they were
 * first started: after a promotion the node at the standby endpoint is the primary, and the old primary comes back
 * at the primary endpoint as a standby. So the first start records the endpoint of the role it ran in in
 * {@code <ringmq.data.dir>/pair-endpoint}, and every later start of that data directory is that node, whatever its
 * role: a primary ships to the other endpoint and takes acks at its own, a standby takes commands at its own and acks
 * to the other.
 */
public record PairIdentity(String ownEndpoint, String peerEndpoint)
{
    public static final String FILE = "pair-endpoint";

    /**
     * The identity the data directory recorded, or the configured role's endpoint, recorded now.
     *
     * @return null when no pair is configured.
     * @throws IllegalStateException if the recorded endpoint is neither of the configured two.
     */
    public static PairIdentity of(final RingmqConfig config)
    {
        if (!config.replicationEnabled())
        {
            return null;
        }
        final String primary = config.replicationPrimaryEndpoint();
        final String standby = config.replicationStandbyEndpoint();
        final Path file = config.dataDir().resolve(FILE);
        try
        {
            final String own;
            if (Files.exists(file))
            {
                own = Files.readString(file, StandardCharsets.US_ASCII).trim();
            }
            else
            {
                own = ReplicationRole.STANDBY == config.replicationRole() ? standby : primary;
                Files.createDirectories(config.dataDir());
                Files.writeString(file, own + "\n", StandardCharsets.US_ASCII);
            }
            if (own.equals(primary))
            {
                return new PairIdentity(primary, standby);
            }
            if (own.equals(standby))
            {
                return new PairIdentity(standby, primary);
            }
            throw new IllegalStateException("the data directory " + config.dataDir() + " belongs to the pair node at " +
                own + " (" + file + "), which is neither ringmq.replication.primary.endpoint=" + primary +
                " nor ringmq.replication.standby.endpoint=" + standby + ": a node keeps its endpoint for good");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read or record this node's pair endpoint in " + file, ex);
        }
    }
}
