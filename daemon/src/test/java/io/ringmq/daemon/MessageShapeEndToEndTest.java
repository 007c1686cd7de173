package io.ringmq.daemon;

import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.OutgoingMessage;
import io.ringmq.client.Producer;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.ProducerIds;
import io.ringmq.daemon.testing.Closer;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 through the client and a daemon in this JVM: headers, message ids and producers travel with a message to
 * its consumers, dead letters and browses; a retried publish (same producer and sequence, or same message id) is
 * receipted with the original sequence and delivered once, across a daemon restart too.
 */
class MessageShapeEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    Path tempDir;

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(final T closeable)
    {
        return closer.track(closeable);
    }

    @Test
    void headersIdAndProducerReachTheConsumerTheDeadLetterAndTheBrowse()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient client = track(TestDaemons.connect(config));
        final Producer producer = new Producer(client.issuedProducerId());
        assertTrue(producer.producerId() >= ProducerIds.ISSUED_BASE, "the daemon issues ids above the chosen ones");

        final List<String> seen = new ArrayList<>();
        client.consumer("orders", "billing", (delivery) ->
        {
            seen.add(delivery.payloadAsString() + " trace=" + delivery.headers().text("trace-id") + " raw=" +
                delivery.headers().bytes("raw").length + " count=" + delivery.headers().count() + " id=" +
                delivery.messageId() + " producer=" + (delivery.producerId() == producer.producerId()) + "/" +
                delivery.producerSequence() + " " + delivery.deadLetterReason());
            delivery.reject();
        });
        final List<String> letters = new ArrayList<>();
        client.consumer("orders.dlq", "audit", (delivery) ->
        {
            letters.add(delivery.payloadAsString() + " " + delivery.deadLetterReason() + " from " +
                delivery.sourceQueue() + "/" + delivery.sourceGroup() + " after " + delivery.deadLetterAttempts() +
                " trace=" + delivery.headers().text("trace-id") + " id=" + delivery.messageId());
        });

        final OutgoingMessage message = new OutgoingMessage()
            .header("trace-id", "t-1")
            .header("raw", new byte[]{1, 2, 3})
            .messageId("order-1");
        assertEquals(1, client.publisher("orders").idempotent(producer).publishAndWait("first", message));
        pollUntil(client, () -> letters.size() == 1, TIMEOUT_MS, "the delivery, its rejection and the dead letter");

        assertEquals(List.of("first trace=t-1 raw=3 count=2 id=order-1 producer=true/1 NONE"), seen);
        assertEquals(List.of("first REJECTED from orders/billing after 1 trace=t-1 id=order-1"), letters);
        final List<BrowsedMessage> browsed = new ArrayList<>();
        client.browse("orders.dlq", "", 0, browsed::add);
        assertEquals(1, browsed.size());
        assertEquals("order-1", browsed.get(0).messageId());
        assertEquals("t-1", browsed.get(0).headers().text("trace-id"));
        assertArrayEquals(new byte[]{1, 2, 3}, browsed.get(0).headers().bytes("raw"));
        assertEquals(producer.producerId(), browsed.get(0).producerId());
        assertEquals(DeadLetterReason.REJECTED, browsed.get(0).reason());
    }

    @Test
    void aSecondPublishOfAMessageIdToTheSameQueueGetsTheFirstReceiptAndIsDeliveredOnce()
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.dedup.max.ids", "2"));
        final Daemon daemon = track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient client = track(TestDaemons.connect(config));
        final Publisher publisher = client.publisher("payments");

        final OutgoingMessage withId = new OutgoingMessage().messageId("pay-42");
        assertEquals(1, publisher.publishAndWait("charge", withId));
        assertEquals(2, publisher.publishAndWait("other", new OutgoingMessage().messageId("pay-43")));
        assertEquals(1, publisher.publishAndWait("charge again", withId), "the first one's receipt");
        assertEquals(1, client.publisher("refunds").publishAndWait("same id, other queue", withId),
            "ids are per queue");

        assertEquals(2, client.stats("payments").messages());
        pollUntil(client, () -> daemon.limitStats().evictedMessageIds() == 1, TIMEOUT_MS,
            "the third id remembered (ringmq.dedup.max.ids=2) made the daemon forget the oldest, counted");
        assertEquals(3, publisher.publishAndWait("charge once more", withId), "pay-42 was the one forgotten");
    }

    @Test
    void headersOverTheDaemonsBoundAreRefusedByTheClientBeforeAnythingIsSent()
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.max.header.bytes", "64"));
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient client = track(TestDaemons.connect(config));
        assertEquals(64, client.maxHeaderLength());

        final OutgoingMessage tooMany = new OutgoingMessage().header("k", "v".repeat(60));
        final RingmqException refused =
            assertThrows(RingmqException.class, () -> client.publisher("q").publishAndWait("x", tooMany));
        assertEquals(ErrorCode.HEADERS_TOO_LARGE, refused.code());
        assertEquals(1, client.publisher("q").publishAndWait("x", new OutgoingMessage().header("k", "v")));
    }

    /**
     * The daemon journals and applies a publish but its receipt never reaches the client (the client is gone before
     * it reads it, then the daemon stops): after a restart, the producer's resend with the same producer id and
     * sequence is answered with the original receipt and the message is not enqueued twice.
     */
    @Test
    void aPublishJournaledButNotReceiptedIsNotEnqueuedTwiceWhenTheProducerResendsItAfterARestart()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        final Producer producer = new Producer(77);
        Daemon daemon = Daemon.launch(new DaemonContext().settings(config));
        try
        {
            final RingmqClient publishing = TestDaemons.connect(config);
            final RingmqClient watching = TestDaemons.connect(config);
            final Publisher publisher = publishing.publisher("orders").idempotent(producer);
            publisher.publishAndWait("receipted");
            publisher.publish("journaled, never receipted"); // its receipt is never read: never polled
            pollUntil(watching, () -> watching.stats("orders").messages() == 2, TIMEOUT_MS, "both applied");
            assertEquals(1, producer.unreceiptedCount());
            publishing.close();
            watching.close();
        }
        finally
        {
            daemon.close();
        }

        daemon = track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient client = track(TestDaemons.connect(config));
        assertEquals(1, producer.resendUnreceipted(client));
        assertEquals(0, producer.unreceiptedCount());
        assertEquals(2, client.stats("orders").messages(), "the resend was recognised, not enqueued again");

        final List<String> delivered = new ArrayList<>();
        client.consumer("orders", "g", (delivery) ->
        {
            delivered.add(delivery.sequence() + ":" + delivery.payloadAsString() + "@" + delivery.producerSequence());
            delivery.ack();
        });
        assertEquals(3, client.publisher("orders").idempotent(producer).publishAndWait("next"),
            "the producer goes on with its next sequence");
        pollUntil(client, () -> delivered.size() == 3, TIMEOUT_MS, "three deliveries");
        assertEquals(List.of("1:receipted@1", "2:journaled, never receipted@2", "3:next@3"), delivered);
    }
}
