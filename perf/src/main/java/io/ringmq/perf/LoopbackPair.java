package io.ringmq.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The daemon settings of a replicated pair on this host over UDP loopback: both nodes get the same two endpoints
 * (free ports) and ack mode, each its role; everything else is the given settings. Lost standby: hold, so a measured
 * run never goes on alone without saying so (the ack timeout only covers a standby still starting). Journal fsync off
 * on both nodes unless the settings name one: the rows measure replication, not the disk. (Before, only the primary's
 * harness turned it off: the standby synced every batch by default, spent most of a busy second in msync, up to 6 s
 * for one on a loaded machine, and held the pair's acks meanwhile.)
 *
 * @param primary the primary's settings.
 * @param standby the standby's settings.
 */
public record LoopbackPair(Map<String, String> primary, Map<String, String> standby)
{
    /** @param ackMode {@code none}, {@code received}, {@code journaled} or {@code synced}. */
    public static LoopbackPair of(final String ackMode, final Map<String, String> settings)
    {
        final Map<String, String> shared = new HashMap<>(settings);
        shared.put("ringmq.replication.primary.endpoint", "localhost:" + freeUdpPort());
        shared.put("ringmq.replication.standby.endpoint", "localhost:" + freeUdpPort());
        shared.put("ringmq.replication.ack", ackMode);
        shared.put("ringmq.replication.ack.timeout", "30s");
        shared.put("ringmq.replication.standby.lost", "hold");
        shared.putIfAbsent("ringmq.journal.fsync", "NONE");
        final Map<String, String> primary = new HashMap<>(shared);
        primary.put("ringmq.replication.role", "primary");
        final Map<String, String> standby = new HashMap<>(shared);
        standby.put("ringmq.replication.role", "standby");
        return new LoopbackPair(Map.copyOf(primary), Map.copyOf(standby));
    }

    /** The standby, in this JVM with its own directories: started before the primary, closed after it. */
    public InProcessDaemon launchStandby()
    {
        return InProcessDaemon.launch(standby);
    }

    private static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
