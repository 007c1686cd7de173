package io.ringmq.daemon;

import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.Publisher;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.QueueStats;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.LimitAction;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.SteppedClock;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Queue limits through the client and a real daemon: a configured maximum age dead-letters on time (stepped clock),
 * a declared size limit refuses publishes with QUEUE_FULL, and the daemon's counters say what happened.
 */
class QueueLimitsEndToEndTest
{
    @TempDir
    Path tempDir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final SteppedClock clock = new SteppedClock();
    private Daemon daemon;
    private RingmqClient client;

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    private void start(final Map<String, String> settings)
    {
        final RingmqConfig config = TestDaemons.config(tempDir, settings);
        daemon = Daemon.launch(new DaemonContext().settings(config).epochNanoClock(clock));
        closeables.add(daemon);
        client = TestDaemons.connect(config);
        closeables.add(client);
    }

    private List<BrowsedMessage> browse(final String queue)
    {
        final List<BrowsedMessage> seen = new ArrayList<>();
        client.browse(queue, "", 0, seen::add);
        return seen;
    }

    @Test
    void aConfiguredMaximumAgeDeadLettersMessagesThatNobodyTookInTime()
    {
        start(Map.of("ringmq.queues.quotes.*.max.age", "2s"));
        final Publisher quotes = client.publisher("quotes.eu");
        final Publisher clock = client.publisher("clock");
        quotes.publishAndWait("stale");
        this.clock.advanceMsAndAwaitRead(1_999, 10_000); // the tick below is stamped with the new time
        clock.publishAndWait("tick");
        assertEquals(1, browse("quotes.eu").size(), "1999 ms old");

        this.clock.advanceMsAndAwaitRead(1, 10_000);
        clock.publishAndWait("tick"); // carries the time: the quote is 2 s old
        assertEquals(0, browse("quotes.eu").size());
        final List<BrowsedMessage> letters = browse("quotes.eu.dlq");
        assertEquals(1, letters.size());
        assertEquals(DeadLetterReason.EXPIRED, letters.get(0).reason());
        assertEquals("stale", letters.get(0).payloadAsString());
        TestDaemons.pollUntil(client, () -> daemon.limitStats().expired() == 1, 30_000, "the expiry counted");
        assertEquals(1, client.stats("quotes.eu").expired());
    }

    @Test
    void aSuffixRuleBoundsDeadLetterQueuesThatAPrefixRuleAlsoMatches()
    {
        start(Map.of("ringmq.queues.quotes.*.max.age", "2s",
            "ringmq.queues.*.dlq.max.messages", "1", "ringmq.queues.*.dlq.overflow", "drop"));
        final Publisher quotes = client.publisher("quotes.eu");
        quotes.publishAndWait("a");
        quotes.publishAndWait("b");
        clock.advanceMsAndAwaitRead(2_000, 10_000);
        client.publisher("clock").publishAndWait("tick"); // both quotes expire into quotes.eu.dlq, which holds one

        assertEquals(List.of("b"), browse("quotes.eu.dlq").stream().map(BrowsedMessage::payloadAsString).toList());
        final QueueStats letters = client.stats("quotes.eu.dlq");
        assertEquals(1, letters.overflowed(), letters::toString);
        assertEquals(1, letters.dropped(), letters::toString);
    }

    @Test
    void aDeclaredSizeLimitRefusesPublishesUntilThereIsRoomAndCountsThem()
    {
        start(Map.of());
        client.declareQueue("orders", QueueOptions.unset().maxMessages(2).onOverflow(LimitAction.REJECT_PUBLISH));
        final Publisher orders = client.publisher("orders");
        orders.publishAndWait("a");
        orders.publishAndWait("b");

        final RingmqException refused = assertThrows(RingmqException.class, () -> orders.publishAndWait("c"));
        assertEquals(ErrorCode.QUEUE_FULL, refused.code());

        assertEquals(new QueueStats(2, 2, 0, 0, 0, 0, 0, 0, 1), client.stats("orders"));

        client.purge("orders");
        orders.publishAndWait("d");
        assertEquals(List.of("d"), browse("orders").stream().map(BrowsedMessage::payloadAsString).toList());
        TestDaemons.pollUntil(client, () -> daemon.limitStats().refused() == 1, 30_000, "the refusal counted");
        final RingmqException unknown = assertThrows(RingmqException.class, () -> client.stats("nope"));
        assertEquals(ErrorCode.UNKNOWN_QUEUE, unknown.code());
    }
}
