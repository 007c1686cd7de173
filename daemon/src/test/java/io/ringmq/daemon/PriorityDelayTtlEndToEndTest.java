package io.ringmq.daemon;

import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.OutgoingMessage;
import io.ringmq.client.Publisher;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.RingmqClient;
import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.SteppedClock;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Priority, delayed publish and per-message time to live through the client and a real daemon, time stepped by hand.
 * "Not yet" is checked as in {@link DeliveryControlEndToEndTest}: a publishAndWait on the same client carries the time,
 * and its receipt leaves the daemon after anything that time made due.
 */
class PriorityDelayTtlEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    Path tempDir;

    private final SteppedClock clock = new SteppedClock();
    private final OutgoingMessage message = new OutgoingMessage();
    private Daemon daemon;
    private RingmqClient client;
    private Publisher timeCarrier;

    @BeforeEach
    void start()
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.queue.visibility.timeout", "10s"));
        daemon = Daemon.launch(new DaemonContext().settings(config).epochNanoClock(clock));
        client = TestDaemons.connect(config);
        timeCarrier = client.publisher("clock");
    }

    @AfterEach
    void stop()
    {
        client.close();
        daemon.close();
    }

    private void advanceMs(final long ms)
    {
        clock.advanceMsAndAwaitRead(ms, 10_000); // so the tick is stamped with the new time
        timeCarrier.publishAndWait("tick");
    }

    @Test
    void aGroupGetsHigherPrioritiesFirstAndEachDeliverySaysItsPriority()
    {
        final Publisher publisher = client.publisher("jobs");
        publisher.publishAndWait("low", message.clear().priority(1));
        publisher.publishAndWait("urgent", message.clear().priority(9));
        publisher.publishAndWait("normal", message.clear());
        final List<String> seen = new ArrayList<>();
        final QueueConsumer consumer = client.consumer("jobs", "g", 0, 0, (d) ->
        {
            seen.add(d.payloadAsString() + "@" + d.priority());
            d.ack();
        });

        consumer.grant(3);
        pollUntil(client, () -> seen.size() == 3, TIMEOUT_MS, "three deliveries");

        assertEquals(List.of("urgent@9", "normal@4", "low@1"), seen);
    }

    @Test
    void aDelayedMessageAndOneWithADeliverAtWaitForTheirTime()
    {
        final List<String> seen = new ArrayList<>();
        client.consumer("jobs", "g", (d) ->
        {
            seen.add(d.payloadAsString());
            d.ack();
        });
        final Publisher publisher = client.publisher("jobs");
        final long nowMs = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime());
        publisher.publishAndWait("delayed", message.clear().delayMs(500));
        publisher.publishAndWait("at", message.clear().deliverAtMs(nowMs + 800));

        advanceMs(499);
        assertEquals(List.of(), seen, "499 ms of a 500 ms delay");
        advanceMs(1);
        pollUntil(client, () -> seen.size() == 1, TIMEOUT_MS, "the delayed message");
        advanceMs(299);
        assertEquals(List.of("delayed"), seen, "1 ms before its deliver-at");
        advanceMs(1);
        pollUntil(client, () -> seen.size() == 2, TIMEOUT_MS, "the message with a deliver-at");
        assertEquals(List.of("delayed", "at"), seen);
    }

    @Test
    void aMessagePastItsTimeToLiveIsDeadLetteredAsExpired()
    {
        client.consumer("jobs", "g", 0, 0, (d) -> d.ack()); // grants nothing: the message waits
        client.publisher("jobs").publishAndWait("short-lived", message.clear().ttlMs(200).priority(6));

        advanceMs(199);
        assertEquals(1, client.stats("jobs").messages());
        advanceMs(1);

        assertEquals(0, client.stats("jobs").messages());
        assertEquals(1, client.stats("jobs").expired());
        final List<BrowsedMessage> letters = new ArrayList<>();
        client.browse("jobs.dlq", "", 0, letters::add);
        assertEquals(1, letters.size());
        assertEquals(DeadLetterReason.EXPIRED, letters.get(0).reason());
        assertEquals(6, letters.get(0).priority(), "a dead letter keeps its priority");
    }
}
