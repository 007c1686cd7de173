package io.ringmq.daemon;

import io.ringmq.client.GroupListing;
import io.ringmq.client.GroupOptions;
import io.ringmq.client.OutgoingMessage;
import io.ringmq.client.Publisher;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.SteppedClock;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A queue's default delay and a group's header filter (schema version 9) through the client and a real daemon, time
 * stepped by hand; a restart replays both from the journal. "Not yet" is checked as in
 * {@link PriorityDelayTtlEndToEndTest}: a publishAndWait on the same client carries the time.
 */
class FilterAndDefaultDelayEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    Path tempDir;

    private final SteppedClock clock = new SteppedClock();
    private final OutgoingMessage message = new OutgoingMessage();
    private RingmqConfig config;
    private Daemon daemon;
    private RingmqClient client;
    private Publisher timeCarrier;

    @BeforeEach
    void start()
    {
        config = TestDaemons.config(tempDir, Map.of("ringmq.queue.visibility.timeout", "10s"));
        launch();
    }

    private void launch()
    {
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
    void aQueuesDefaultDelayHoldsPublishesWithoutTimingAndTheirOwnOverridesIt()
    {
        client.declareQueue("reminders", QueueOptions.unset().delay(Duration.ofMillis(500)));
        assertEquals(500, client.queues("reminders").get(0).delayMs());
        final List<String> seen = new ArrayList<>();
        client.consumer("reminders", "g", (d) ->
        {
            seen.add(d.payloadAsString());
            d.ack();
        });
        final Publisher publisher = client.publisher("reminders");
        publisher.publishAndWait("queue-delay", message.clear());
        publisher.publishAndWait("own-delay", message.clear().delayMs(100));

        advanceMs(99);
        assertEquals(List.of(), seen);
        advanceMs(1);
        pollUntil(client, () -> seen.size() == 1, TIMEOUT_MS, "the message with its own 100 ms");
        advanceMs(399);
        assertEquals(List.of("own-delay"), seen, "1 ms before the queue's 500 ms");
        advanceMs(1);
        pollUntil(client, () -> seen.size() == 2, TIMEOUT_MS, "the message held by the queue's delay");
        assertEquals(List.of("own-delay", "queue-delay"), seen);

        final RingmqException conflict = assertThrows(RingmqException.class,
            () -> client.declareQueue("reminders", QueueOptions.unset().delay(Duration.ofSeconds(1))));
        assertEquals(ErrorCode.SETTINGS_CONFLICT, conflict.code());
    }

    @Test
    void aFilteredGroupGetsOnlyMatchingMessagesCountsTheOthersAndKeepsItsFilterOverARestart()
    {
        client.declareGroup("orders", "eu-large", GroupOptions.unset().filter("region=eu && price>=100"));
        final List<String> seen = new ArrayList<>();
        client.consumer("orders", "eu-large", (d) ->
        {
            seen.add(d.payloadAsString());
            d.ack();
        });
        final Publisher publisher = client.publisher("orders");
        publisher.publishAndWait("small", message.clear().header("region", "eu").header("price", "20"));
        publisher.publishAndWait("us", message.clear().header("region", "us").header("price", "500"));
        publisher.publishAndWait("big", message.clear().header("region", "eu").header("price", "250"));
        pollUntil(client, () -> seen.size() == 1, TIMEOUT_MS, "the one matching message");
        assertEquals(List.of("big"), seen);
        final GroupListing group = client.groups("orders").get(0);
        assertEquals(2, group.filtered());
        assertEquals("region=eu&&price>=100", group.filter());
        assertEquals(0, client.stats("orders").messages(), "the refused ones left: the only group settled them");

        final RingmqException conflict = assertThrows(RingmqException.class,
            () -> client.declareGroup("orders", "eu-large", GroupOptions.unset().filter("region=us")));
        assertEquals(ErrorCode.SETTINGS_CONFLICT, conflict.code());
        assertThrows(IllegalArgumentException.class, () -> GroupOptions.unset().filter("price>>1"));

        client.close();
        daemon.close();
        launch();
        final GroupListing replayed = client.groups("orders").get(0);
        assertEquals("region=eu&&price>=100", replayed.filter(), "the journal's DeclareGroup carried it");
        assertEquals(2, replayed.filtered());
        client.publisher("orders").publishAndWait("after", message.clear().header("region", "eu"));
        assertEquals(3, client.groups("orders").get(0).filtered(), "no price: refused after the restart too");
    }
}
