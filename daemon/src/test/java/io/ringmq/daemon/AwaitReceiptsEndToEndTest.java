package io.ringmq.daemon;

import io.ringmq.client.Publisher;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.LimitAction;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An asynchronous publisher can wait until every publish it sent is answered, receipted or refused. */
class AwaitReceiptsEndToEndTest
{
    @TempDir
    Path tempDir;

    @Test
    void awaitReceiptsReturnsOnceEveryPublishIsReceiptedOrRefused()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(config));
            RingmqClient client = TestDaemons.connect(config))
        {
            client.declareQueue("async", QueueOptions.unset().maxMessages(1_000).onOverflow(LimitAction.REJECT_PUBLISH));
            final long[] receipts = {0};
            final List<ErrorCode> refusals = new ArrayList<>();
            final Publisher publisher = client.publisher("async", ReceiptListener.of(
                (correlationId, sequence) -> receipts[0]++, (correlationId, code, message) -> refusals.add(code)));

            for (int i = 0; i <= 1_000; i++) // one more than the queue takes: the last is refused by the daemon
            {
                publisher.publish("m" + i);
            }
            assertTrue(publisher.unanswered() > 0, "nothing polled yet: the answers have not been read");

            assertTrue(publisher.awaitReceipts(Duration.ofSeconds(30)), () -> publisher.unanswered() + " unanswered");
            assertEquals(0, publisher.unanswered());
            assertEquals(1_000, receipts[0]);
            assertEquals(List.of(ErrorCode.QUEUE_FULL), refusals);

            final Publisher waited = client.publisher("other");
            assertEquals(1, waited.publishAndWait("one"), "a waited publish is counted and answered too");
            assertEquals(0, waited.unanswered());
        }
    }
}
