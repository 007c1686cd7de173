package io.ringmq.daemon;

import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A daemon whose journal's disk is below ringmq.journal.min.free.space (here: a floor of 1 TiB no test disk has)
 * refuses publishes with STORAGE_FULL, stores nothing of them, and goes on with everything else: what was published
 * before is still delivered and acked.
 */
class StorageFullEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    Path tempDir;

    @Test
    void publishesAreRefusedWithStorageFullAndEverythingElseGoesOn()
    {
        final RingmqConfig roomy = TestDaemons.config(tempDir);
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(roomy));
             RingmqClient client = TestDaemons.connect(roomy))
        {
            client.publisher("orders").publishAndWait("before the disk filled");
        }

        final RingmqConfig full = TestDaemons.config(tempDir, Map.of(
            "ringmq.data.dir", roomy.dataDir().toString(), "ringmq.journal.min.free.space", "1024g"));
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(full));
             RingmqClient client = TestDaemons.connect(full))
        {
            final RingmqException refused = assertThrows(RingmqException.class,
                () -> client.publisher("orders").publishAndWait("while it is full"));
            assertEquals(ErrorCode.STORAGE_FULL, refused.code());
            assertTrue(refused.getMessage().contains("ringmq.journal.min.free.space"), refused.getMessage());

            final List<String> delivered = new ArrayList<>();
            client.consumer("orders", "billing", (delivery) ->
            {
                delivered.add(delivery.payloadAsString());
                delivery.ack();
            });
            pollUntil(client, () -> delivered.size() == 1, TIMEOUT_MS, "the message from before");
            assertEquals(List.of("before the disk filled"), delivered);
            assertEquals(1, daemon.rejectedFrames(), "the refused publish, counted");
        }
    }
}
