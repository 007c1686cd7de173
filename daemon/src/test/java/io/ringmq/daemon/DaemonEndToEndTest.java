package io.ringmq.daemon;

import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.ClientContext;
import io.ringmq.client.Publisher;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.ReceiptListener;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.SteppedClock;
import io.ringmq.daemon.testing.Closer;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole spine in one JVM: client → Aeron IPC → ingress → ring → journal → state machine → egress → client.
 */
class DaemonEndToEndTest
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
    void tenThousandMessagesAreReceivedExactlyOnceInOrder()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        final Daemon daemon = track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient producerClient = track(TestDaemons.connect(config));
        final RingmqClient consumerClient = track(TestDaemons.connect(config));

        final int count = 10_000;
        final LongArrayList received = new LongArrayList();
        final List<String> payloads = new ArrayList<>();
        consumerClient.consumer("orders", "billing", 128, (delivery) ->
        {
            received.addLong(delivery.sequence());
            payloads.add(delivery.payloadAsString());
            assertEquals(1, delivery.attempt());
            delivery.ack();
        });

        final LongArrayList receipts = new LongArrayList();
        final Publisher publisher = producerClient.publisher("orders", new ReceiptListener()
        {
            public void onReceipt(final long correlationId, final long sequence)
            {
                receipts.addLong(sequence);
            }

            public void onError(final long correlationId, final ErrorCode code, final String message)
            {
                throw new AssertionError(code + " " + message);
            }
        });
        for (int i = 1; i <= count; i++)
        {
            publisher.publish("order-" + i);
            producerClient.poll();
            consumerClient.poll();
        }

        pollUntil(producerClient, () -> receipts.size() == count, TIMEOUT_MS, "all receipts");
        pollUntil(consumerClient, () -> received.size() == count, TIMEOUT_MS, "all deliveries (received " + received.size() + ")");
        // Nothing more may arrive: poll a little longer and check no duplicate came.
        for (int i = 0; i < 1000; i++)
        {
            consumerClient.poll();
        }

        assertEquals(count, received.size());
        for (int i = 0; i < count; i++)
        {
            assertEquals(i + 1, receipts.getLong(i), "receipt order");
            assertEquals(i + 1, received.getLong(i), "delivery order");
            assertEquals("order-" + (i + 1), payloads.get(i));
        }

        // Acks are still on their way when the last delivery arrives. A browse from the consumer's client goes after
        // them on the same publication, so once it finds the queue empty the daemon has taken and applied every ack.
        assertEquals(0, consumerClient.browse("orders", "", 0, (m) -> {}), "every ack applied");
        // Acks made in a handler go a poll's worth per frame: more than the publishes were timed, not twice as many.
        pollUntil(consumerClient, () -> dispatchedSinceStart(daemon) > count, TIMEOUT_MS,
            "every publish and ack frame in the dispatch histogram");
        assertEquals(0, daemon.rejectedFrames());
    }

    private static long dispatchedSinceStart(final Daemon daemon)
    {
        final Matcher matcher = Pattern.compile("since start n=(\\d+)").matcher(daemon.statsLine());
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    @Test
    void ackingInsideTheHandlerAcrossManyTermRotationsNeverDuplicatesADelivery()
    {
        // 64k terms rotate every few hundred acks: acks meet ADMIN_ACTION and back-pressure inside the handler.
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.aeron.ipc.term.length", "64k", "ringmq.max.message.bytes", "8k"));
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient producer = track(TestDaemons.connect(config));
        final RingmqClient consumer = track(TestDaemons.connect(config));

        final int count = 20_000;
        final java.util.BitSet seen = new java.util.BitSet(count + 1);
        final int[] duplicates = {0};
        consumer.consumer("rotations", "g", 512, (d) ->
        {
            if (seen.get((int)d.sequence()))
            {
                duplicates[0]++;
            }
            seen.set((int)d.sequence());
            d.ack();
        });
        final Publisher publisher = producer.publisher("rotations");
        // One thread drives both clients: keep the backlog bounded so the producer never blocks while the consumer,
        // on the same thread, cannot poll (that back-pressure cycle is a separate, known limitation).
        for (int i = 0; i < count; i++)
        {
            final int published = i;
            pollUntil(consumer, () -> published - seen.cardinality() < 256, TIMEOUT_MS, "the consumer to catch up");
            publisher.publish("m" + i);
            producer.poll();
        }
        pollUntil(consumer, () -> seen.cardinality() == count, TIMEOUT_MS, "every delivery");
        for (int i = 0; i < 1000; i++)
        {
            consumer.poll();
            producer.poll();
        }
        assertEquals(0, duplicates[0], "deliveries handed to the handler twice");
        assertEquals(0, consumer.browse("rotations", "", 0, (m) -> {}), "every ack (batched per poll) applied");
    }

    @Test
    void deadLettersCanBeBrowsedRedrivenAndPurged()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient client = track(TestDaemons.connect(config));

        final List<String> seen = new ArrayList<>();
        client.consumer("orders", "billing", (d) ->
        {
            seen.add(d.sequence() + "/" + d.attempt() + "/" + d.payloadAsString());
            if (d.payloadAsString().startsWith("bad"))
            {
                d.reject();
            }
            else
            {
                d.ack();
            }
        });
        final Publisher publisher = client.publisher("orders");
        publisher.publishAndWait("bad-1");
        publisher.publishAndWait("bad-2");
        publisher.publishAndWait("good");
        pollUntil(client, () -> seen.size() == 3, TIMEOUT_MS, "three deliveries");

        final List<BrowsedMessage> letters = new ArrayList<>();
        assertEquals(2, client.browse("orders.dlq", "", 0, letters::add));
        assertEquals(List.of("bad-1", "bad-2"), letters.stream().map(BrowsedMessage::payloadAsString).toList());
        assertEquals(DeadLetterReason.REJECTED, letters.get(0).reason());
        assertEquals("orders", letters.get(0).sourceQueue());
        assertEquals("billing", letters.get(0).sourceGroup());
        assertEquals(1, letters.get(0).deadLetterAttempts());

        assertEquals(1, client.redrive("orders.dlq", "", 1), "one letter moved back");
        pollUntil(client, () -> seen.size() == 4, TIMEOUT_MS, "the redriven message");
        assertEquals("4/1/bad-1", seen.get(3), "a new message at the queue's next sequence, first attempt");

        // bad-1 was rejected again, so the DLQ holds bad-2 and the new bad-1 letter.
        pollUntil(client, () -> client.browse("orders.dlq", "", 0, (m) -> {}) == 2, TIMEOUT_MS, "two letters");
        assertEquals(2, client.purge("orders.dlq"));
        assertEquals(0, client.browse("orders.dlq", "", 0, (m) -> {}));

        final RingmqException unknown = assertThrows(RingmqException.class, () -> client.purge("never.dlq"));
        assertEquals(ErrorCode.UNKNOWN_QUEUE, unknown.code());
    }

    @Test
    void oneClientPublishingAndAckingInItsHandlerUnderBackPressureLosesNothing()
    {
        // A back-pressured publish polls responses while it retries; acks made by the handler during that poll must
        // not overwrite the frame being retried.
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.aeron.ipc.term.length", "64k", "ringmq.max.message.bytes", "8k"));
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient client = track(TestDaemons.connect(config));

        final int count = 20_000;
        final java.util.BitSet delivered = new java.util.BitSet(count + 1);
        final int[] wrongPayloads = {0};
        client.consumer("loop", "g", 512, (d) ->
        {
            if (!d.payloadAsString().equals("m" + d.sequence()))
            {
                wrongPayloads[0]++;
            }
            delivered.set((int)d.sequence());
            d.ack();
        });
        final LongArrayList receipts = new LongArrayList();
        final Publisher publisher = client.publisher("loop", new ReceiptListener()
        {
            public void onReceipt(final long correlationId, final long sequence)
            {
                receipts.addLong(sequence);
            }

            public void onError(final long correlationId, final ErrorCode code, final String message)
            {
                throw new AssertionError(code + " " + message);
            }
        });
        for (int i = 1; i <= count; i++)
        {
            publisher.publish("m" + i);
        }
        pollUntil(client, () -> receipts.size() == count && delivered.cardinality() == count, TIMEOUT_MS,
            "every receipt and delivery (receipts " + receipts.size() + ", delivered " + delivered.cardinality() + ")");
        assertEquals(0, wrongPayloads[0], "payloads that do not match their sequence");
        assertEquals(0, client.browse("loop", "", 0, (m) -> {}), "every ack (batched per poll) applied");
    }

    @Test
    void blockingCallsInsideAHandlerFailClearly()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient client = track(TestDaemons.connect(config));
        final List<Throwable> failures = new ArrayList<>();
        client.consumer("inner", "g", (d) ->
        {
            try
            {
                client.publisher("other").publishAndWait("from inside");
            }
            catch (final IllegalStateException ex)
            {
                failures.add(ex);
            }
            d.ack();
        });
        // Receipt and delivery often arrive in one poll: the refused inner call must not disturb the outer wait.
        for (int i = 1; i <= 50; i++)
        {
            assertEquals(i, client.publisher("inner").publishAndWait("outer-" + i));
        }
        pollUntil(client, () -> failures.size() == 50, TIMEOUT_MS, "every refused blocking call");
        assertTrue(failures.get(0).getMessage().contains("inside a message handler"), failures.get(0).getMessage());
        final RingmqException neverCreated = assertThrows(RingmqException.class,
            () -> client.browse("other", "", 0, (m) -> {}));
        assertEquals(ErrorCode.UNKNOWN_QUEUE, neverCreated.code(), "the refused calls published nothing");
    }

    @Test
    void publishAndWaitReturnsTheSequenceAndFanOutReachesEveryGroup()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient client = track(TestDaemons.connect(config));

        final List<String> billing = new ArrayList<>();
        final List<String> audit = new ArrayList<>();
        client.consumer("events", "billing", (d) -> { billing.add(d.sequence() + ":" + d.payloadAsString()); d.ack(); });
        client.consumer("events", "audit", (d) -> { audit.add(d.sequence() + ":" + d.payloadAsString()); d.ack(); });

        final Publisher publisher = client.publisher("events");
        assertEquals(1, publisher.publishAndWait("a"));
        assertEquals(2, publisher.publishAndWait("b"));

        pollUntil(client, () -> billing.size() == 2 && audit.size() == 2, TIMEOUT_MS, "fan-out");
        assertEquals(List.of("1:a", "2:b"), billing);
        assertEquals(List.of("1:a", "2:b"), audit);
    }

    @Test
    void unackedMessagesGoToTheNextConsumerWhenAClientDisconnects()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient producer = track(TestDaemons.connect(config));
        final RingmqClient first = TestDaemons.connect(config);
        final RingmqClient second = track(TestDaemons.connect(config));

        final List<Long> firstSeen = new ArrayList<>();
        first.consumer("jobs", "workers", 10, (d) -> firstSeen.add(d.sequence())); // never acks
        final Publisher publisher = producer.publisher("jobs");
        for (int i = 0; i < 3; i++)
        {
            publisher.publishAndWait("job-" + i);
        }
        pollUntil(first, () -> firstSeen.size() == 3, TIMEOUT_MS, "first consumer's deliveries");

        final List<String> secondSeen = new ArrayList<>();
        second.consumer("jobs", "workers", 10, (d) ->
        {
            secondSeen.add(d.sequence() + "/" + d.attempt());
            d.ack();
        });
        first.close();

        pollUntil(second, () -> secondSeen.size() == 3, TIMEOUT_MS, "redelivery to the second consumer");
        assertEquals(List.of("1/2", "2/2", "3/2"), secondSeen);
    }

    @Test
    void restartKeepsPublishedButUnackedMessages()
    {
        // Snapshots off: this is about replaying the journal alone (SnapshotRecoveryTest covers snapshots).
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.snapshot.every.commands", "0", "ringmq.snapshot.interval", "0"));
        final Daemon daemon = Daemon.launch(new DaemonContext().settings(config));
        try (RingmqClient client = TestDaemons.connect(config))
        {
            final Publisher publisher = client.publisher("payments");
            for (int i = 1; i <= 10; i++)
            {
                publisher.publishAndWait("p-" + i);
            }
            final int[] seen = {0};
            client.consumer("payments", "ledger", 4, (d) ->
            {
                seen[0]++;
                if (d.sequence() <= 3)
                {
                    d.ack(); // 1-3 done; 4 stays in flight unacked
                }
            });
            pollUntil(client, () -> seen[0] == 4, TIMEOUT_MS, "four deliveries");
        }
        daemon.close();

        // Second run of the daemon on the same data: the journal is replayed through the state machine.
        final RingmqConfig again = TestDaemons.config(tempDir);
        final Daemon restarted = track(Daemon.launch(new DaemonContext().settings(again)));
        assertTrue(restarted.recoveredCommands() > 10, "journal replayed");
        final RingmqClient client = track(TestDaemons.connect(again));
        final List<String> seen = new ArrayList<>();
        client.consumer("payments", "ledger", 100, (d) ->
        {
            seen.add(d.sequence() + "/" + d.attempt() + "/" + d.payloadAsString());
            d.ack();
        });
        pollUntil(client, () -> seen.size() == 7, TIMEOUT_MS, "the seven unacked messages");
        assertEquals(List.of("4/2/p-4", "5/2/p-5", "6/2/p-6", "7/2/p-7", "8/1/p-8", "9/1/p-9", "10/1/p-10"), seen);
        assertEquals(11, client.publisher("payments").publishAndWait("p-11"), "sequences continue after restart");
    }

    @Test
    void unackedDeliveryComesBackAfterTheVisibilityTimeoutAndThenGoesToTheDlq()
    {
        final SteppedClock clock = new SteppedClock();
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of(
            "ringmq.queue.visibility.timeout", "1s", "ringmq.queue.max.attempts", "2"));
        track(Daemon.launch(new DaemonContext().settings(config).epochNanoClock(clock)));
        final RingmqClient client = track(TestDaemons.connect(config));

        final List<String> seen = new ArrayList<>();
        client.consumer("slow", "g", (d) -> seen.add(d.sequence() + "/" + d.attempt())); // never acks
        client.publisher("slow").publishAndWait("x");
        pollUntil(client, () -> seen.size() == 1, TIMEOUT_MS, "first delivery");

        clock.advanceMs(999);
        client.publisher("other").publishAndWait("time passes"); // a command carrying t+999ms: not due yet
        assertEquals(List.of("1/1"), seen);
        clock.advanceMs(10); // a tick interval with no command: the ingress journals a tick carrying t+1009ms
        pollUntil(client, () -> seen.size() == 2, TIMEOUT_MS, "redelivery after the timeout (a journaled tick)");
        assertEquals(List.of("1/1", "1/2"), seen);

        final List<String> dead = new ArrayList<>();
        client.consumer("slow.dlq", "inspect", (d) -> { dead.add(d.payloadAsString()); d.ack(); });
        clock.advanceMs(1000);
        pollUntil(client, () -> dead.size() == 1, TIMEOUT_MS, "dead-lettering after max attempts");
        assertEquals(List.of("x"), dead);
        assertEquals(List.of("1/1", "1/2"), seen, "no third attempt");
    }

    @Test
    void remoteClientsTalkOverUdp() throws Exception
    {
        final String ingress = "aeron:udp?endpoint=localhost:" + freeUdpPort();
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.ingress.udp.channel", ingress));
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient client = track(TestDaemons.connect(config, new ClientContext()
            .ingressChannel(ingress)
            .responseChannel("aeron:udp?endpoint=localhost:" + freeUdpPort())));

        final List<String> seen = new ArrayList<>();
        client.consumer("remote", "g", (d) -> { seen.add(d.sequence() + ":" + d.payloadAsString()); d.ack(); });
        assertEquals(1, client.publisher("remote").publishAndWait("over-udp"));
        pollUntil(client, () -> seen.size() == 1, TIMEOUT_MS, "the delivery over UDP");
        assertEquals(List.of("1:over-udp"), seen);
    }

    private static int freeUdpPort() throws java.io.IOException
    {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    @Test
    void refusalsArriveAsTypedErrors()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        track(Daemon.launch(new DaemonContext().settings(config)));
        final List<RingmqException> errors = new ArrayList<>();
        final RingmqClient client = track(TestDaemons.connect(config, new ClientContext().errorHandler(errors::add)));

        final RingmqException badGroup = assertThrows(RingmqException.class,
            () -> client.consumer("q", "bad group", (d) -> {}));
        assertEquals(ErrorCode.INVALID_NAME, badGroup.code());

        final RingmqException badQueue = assertThrows(RingmqException.class, () -> client.publisher("no spaces"));
        assertEquals(ErrorCode.INVALID_NAME, badQueue.code());

        final byte[] tooLarge = new byte[client.maxMessageLength()];
        final RingmqException large = assertThrows(RingmqException.class,
            () -> client.publisher("q").publishAndWait(tooLarge));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, large.code());
        assertEquals(1, client.publisher("q").publishAndWait(new byte[1000]), "a message within the limit works");

        final QueueConsumer consumer = client.consumer("q", "g", (d) -> {});
        consumer.ack(99, 1); // names no delivery
        pollUntil(client, () -> !errors.isEmpty(), TIMEOUT_MS, "the refused ack");
        assertEquals(ErrorCode.STALE_DELIVERY, errors.get(0).code());
    }

    @Test
    void aResponseChannelTooSmallForTheLargestFrameIsRefusedAtConnectAndOthersAreServedMeanwhile()
    {
        final RingmqConfig config = TestDaemons.config(tempDir); // frames up to 1 MiB: a 64 KiB term carries 8 KiB
        track(Daemon.launch(new DaemonContext().settings(config)));
        final RingmqClient client = track(TestDaemons.connect(config));

        final RingmqException refused = assertThrows(RingmqException.class, () -> track(TestDaemons.connect(config,
            new ClientContext().responseChannel("aeron:ipc?term-length=64k"))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, refused.code());
        assertTrue(refused.getMessage().contains("term-length of at least"), refused.getMessage());
        assertEquals(1, client.publisher("q").publishAndWait("still served"));
    }
}
