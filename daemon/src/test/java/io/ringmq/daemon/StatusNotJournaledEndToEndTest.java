package io.ringmq.daemon;

import io.ringmq.client.ClientContext;
import io.ringmq.client.NodeAdminClient;
import io.ringmq.codecs.TransportClosedDecoder;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.daemon.testing.TestDaemons;
import io.ringmq.transport.NodeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Trial C finding 6: status requests are answered off the ring and never journaled, and neither is the going away of
 * the client that asked (it put nothing on the ring): a primary asked again and again keeps its log sequence and
 * digest. (That a client which did put commands on the ring still has its going away journaled is
 * IngressReassemblyTest's.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusNotJournaledEndToEndTest
{
    @TempDir
    Path tempDir;

    @Test
    void askingForStatusChangesNothingInTheJournal()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(config)))
        {
            final NodeStatus first = status(config);
            // Each ask is a client of its own that comes and goes, as bin/ringmq status is; before the fix each one
            // gone added a TransportClosed. A second's worth of them leaves time for their closes to be seen.
            final long untilNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            NodeStatus last;
            int asks = 1;
            do
            {
                last = status(config);
                asks++;
            }
            while (System.nanoTime() - untilNs < 0 || asks < 5);
            assertEquals(first.logSequence(), last.logSequence(), "after " + asks + " asks");
            assertEquals(first.digest(), last.digest());
        }

        final int[] transportsClosed = {0};
        TestDaemons.replayJournal(config, (buffer, offset, length) ->
        {
            if (TransportClosedDecoder.TEMPLATE_ID == FrameValidator.templateId(buffer, offset + CommandHeader.LENGTH))
            {
                transportsClosed[0]++;
            }
        });
        assertEquals(0, transportsClosed[0], "no status client's going away journaled");
    }

    private static NodeStatus status(final RingmqConfig config)
    {
        try (NodeAdminClient node = NodeAdminClient.connect(new ClientContext()
            .aeronDirectoryName(config.aeronDir().toString())
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .clientName("test-status")))
        {
            return node.status();
        }
    }
}
