package io.ringmq.daemon.replication;

import io.ringmq.client.NodeAdminClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.Daemon;
import io.ringmq.daemon.DaemonContext;
import io.ringmq.transport.NodeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.ringmq.daemon.replication.PairFixture.node;
import static io.ringmq.daemon.replication.PairFixture.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pair in one JVM over loopback UDP with the default heartbeats (50 ms, timeout 500 ms): both nodes see each other
 * alive in {@code status}; a stopped standby is seen lost by the primary, a stopped primary by the standby, each within
 * the heartbeat timeout plus scheduling slack, far sooner than Aeron's own liveness timeout (10 s).
 */
class PairHeartbeatLossTest
{
    private static final long DEADLINE_MS = 30_000;
    /** Timeout 500 ms, plus slack for a shared, loaded test machine; still half of Aeron's 10 s liveness timeout. */
    private static final long DETECTED_WITHIN_MS = 5_000;

    @TempDir
    Path tempDir;

    @Test
    void eachNodeTakesTheOtherAsLostWithinTheHeartbeatTimeout()
    {
        final TestPair pair = new TestPair(tempDir, "journaled", "continue", "2s");
        try (Daemon primary = Daemon.launch(new DaemonContext().settings(pair.primary)))
        {
            // A node client must close before its daemon's media driver goes, or Aeron's client exits the JVM.
            try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby)))
            {
                try (NodeAdminClient standbyNode = node(pair.standby))
                {
                    awaitStatus(standbyNode, NodeStatus::peerAlive, DEADLINE_MS, "the standby hears the primary");
                }
                try (NodeAdminClient primaryNode = node(pair.primary))
                {
                    awaitStatus(primaryNode, NodeStatus::peerAlive, DEADLINE_MS, "the primary hears the standby");
                    standby.close();
                    final long stoppedNs = System.nanoTime();
                    awaitStatus(primaryNode, (s) -> !s.peerAlive(), DEADLINE_MS,
                        "the primary takes the stopped standby as lost");
                    report("standby loss seen by the primary", stoppedNs);
                }
            }

            try (Daemon standby = Daemon.launch(new DaemonContext().settings(pair.standby));
                 NodeAdminClient standbyNode = node(pair.standby))
            {
                try (NodeAdminClient primaryNode = node(pair.primary))
                {
                    awaitStatus(primaryNode, NodeStatus::peerAlive, DEADLINE_MS,
                        "the primary hears the restarted standby");
                }
                awaitStatus(standbyNode, NodeStatus::peerAlive, DEADLINE_MS, "the restarted standby hears the primary");
                primary.close();
                final long stoppedNs = System.nanoTime();
                final NodeStatus lost =
                    awaitStatus(standbyNode, (s) -> !s.peerAlive(), DEADLINE_MS,
                        "the standby takes the stopped primary as lost");
                report("primary loss seen by the standby", stoppedNs);
                assertEquals(NodeStatus.STANDBY, lost.role(), "detection alone changes no role");
            }
        }
    }

    /** Prints the figure (the README quotes it) and bounds it. */
    private static void report(final String what, final long stoppedNs)
    {
        final long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedNs);
        System.out.println(what + " " + detectedMs + " ms after its close() returned");
        assertTrue(detectedMs < DETECTED_WITHIN_MS, what + " after " + detectedMs + " ms");
    }
}
