package io.ringmq.daemon;

import io.ringmq.client.GroupOptions;
import io.ringmq.client.Publisher;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.QueueListing;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.client.SeekTarget;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Retention and seek through the client and a real daemon, time stepped by hand, and across a restart. */
class RetainAndSeekEndToEndTest
{
    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    Path tempDir;

    private final SteppedClock clock = new SteppedClock();
    private RingmqConfig config;
    private Daemon daemon;
    private RingmqClient client;

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
    }

    @AfterEach
    void stop()
    {
        client.close();
        daemon.close();
    }

    /** Publishes, consumes and acks {@code count} messages in group "live"; what the group saw. */
    private List<String> publishAndConsume(final int count)
    {
        final Publisher publisher = client.publisher("orders");
        for (int i = 1; i <= count; i++)
        {
            publisher.publishAndWait("m" + i);
        }
        return collect("live", count);
    }

    private List<String> collect(final String group, final int count)
    {
        final List<String> seen = new ArrayList<>();
        final QueueConsumer consumer = client.consumer("orders", group, (d) ->
        {
            seen.add(d.payloadAsString() + "#" + d.attempt());
            d.ack();
        });
        pollUntil(client, () -> seen.size() >= count, TIMEOUT_MS, count + " deliveries to " + group);
        consumer.close(); // after the acks the handler made (sent by the poll), on the same session
        return seen;
    }

    @Test
    void aSeekBackReadsAckedMessagesAgainAndSurvivesARestart()
    {
        client.declareQueue("orders", QueueOptions.unset().retainFor(Duration.ofHours(1)));
        assertEquals(List.of("m1#1", "m2#1", "m3#1"), publishAndConsume(3));
        assertEquals(3, client.stats("orders").messages(), "kept after every group acked");
        final QueueListing listed = client.queues("orders").get(0);
        assertEquals(3, listed.retained(), listed::toString);
        assertEquals(6, listed.retainedBytes(), "m1, m2, m3: two bytes each");

        assertEquals(2, client.seek("orders", "live", SeekTarget.sequence(2)));
        assertEquals(List.of("m2#1", "m3#1"), collect("live", 2));

        client.close();
        daemon.close();
        launch(); // recovery replays the seek and the acks: the kept messages are there again
        assertEquals(3, client.stats("orders").messages());
        assertEquals(3, client.seek("orders", "live", SeekTarget.OLDEST));
        assertEquals(List.of("m1#1", "m2#1", "m3#1"), collect("live", 3));
    }

    @Test
    void aSeekByTimeAndANewGroupStartingAtTheOldest()
    {
        client.declareQueue("orders", QueueOptions.unset().retainBytes(1 << 20));
        publishAndConsume(2);
        clock.advanceMs(1000);
        final Instant later = Instant.ofEpochMilli(TimeUnit.NANOSECONDS.toMillis(clock.nanoTime()));
        publishAndConsume(1); // "m1" again, stored a second later as sequence 3

        assertEquals(1, client.seek("orders", "live", SeekTarget.time(later)));
        assertEquals(List.of("m1#1"), collect("live", 1));

        client.declareGroup("orders", "audit", GroupOptions.unset().startAt(SeekTarget.OLDEST));
        assertEquals(List.of("m1#1", "m2#1", "m1#1"), collect("audit", 3));
    }

    /**
     * Retention by time on the daemon's (stepped) clock, a group started at a sequence, and a seek to the newest: the
     * places and the bound a user of seek and retain meets, end to end.
     */
    @Test
    void keptMessagesLeaveAfterTheirRetentionAndAGroupStartsAtASequenceOrSeeksPastTheNewest()
    {
        client.declareQueue("orders", QueueOptions.unset().retainFor(Duration.ofSeconds(10)));
        publishAndConsume(3);
        client.declareGroup("orders", "audit", GroupOptions.unset().startAt(SeekTarget.sequence(2)));
        assertEquals(List.of("m2#1", "m3#1"), collect("audit", 2));

        client.publisher("orders").publishAndWait("m4");
        assertEquals(0, client.seek("orders", "live", SeekTarget.NEWEST), "past the newest: m4 is skipped");
        assertEquals(0, client.seek("orders", "audit", SeekTarget.NEWEST));
        assertEquals(4, client.stats("orders").messages(), "every group settled m4 by its seek: kept too");

        clock.advanceMsAndAwaitRead(9_999, 10_000); // the command below is stamped with the new time
        client.publisher("clock").publishAndWait("time"); // a command carries the time to the state machine
        assertEquals(4, client.stats("orders").messages(), "kept until 10 s after the last ack");
        clock.advanceMsAndAwaitRead(2, 10_000);
        client.publisher("clock").publishAndWait("time");
        assertEquals(0, client.stats("orders").messages(), "let go once their retention passed");
        assertEquals(0, client.seek("orders", "live", SeekTarget.OLDEST), "nothing left to seek back to");
    }

    @Test
    void aSeekNamesAnUnknownQueueOrGroup()
    {
        client.declareQueue("orders", QueueOptions.unset());
        final RingmqException noQueue = assertThrows(RingmqException.class,
            () -> client.seek("nothing", "live", SeekTarget.OLDEST));
        final RingmqException noGroup = assertThrows(RingmqException.class,
            () -> client.seek("orders", "nobody", SeekTarget.NEWEST));
        assertEquals(ErrorCode.UNKNOWN_QUEUE, noQueue.code());
        assertEquals(ErrorCode.UNKNOWN_GROUP, noGroup.code());
    }
}
