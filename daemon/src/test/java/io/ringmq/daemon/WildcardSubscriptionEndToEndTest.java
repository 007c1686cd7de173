package io.ringmq.daemon;

import io.ringmq.client.ClientContext;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ringmq.daemon.testing.TestDaemons.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client subscribes to a pattern through a real daemon: deliveries of every matching queue, existing or created
 * after the subscribe, reach its one handler, each naming its queue; acks settle on the queue's own consumer; close
 * detaches them all.
 */
class WildcardSubscriptionEndToEndTest
{
    private static final long TIMEOUT_MS = 10_000;

    @TempDir
    Path tempDir;

    private Daemon daemon;
    private RingmqClient client;
    private final List<RingmqException> errors = new ArrayList<>();

    @BeforeEach
    void start()
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.queue.visibility.timeout", "10m"));
        daemon = Daemon.launch(new DaemonContext().settings(config));
        client = TestDaemons.connect(config, new ClientContext().errorHandler(errors::add));
    }

    @AfterEach
    void stop()
    {
        client.close();
        daemon.close();
    }

    @Test
    void existingAndLaterQueuesDeliverToOneHandlerEachNamingItsQueue()
    {
        client.publisher("orders.eu").publishAndWait("eu-1");
        client.publisher("billing.eu").publishAndWait("not matched");
        final List<String> received = new ArrayList<>();
        final QueueConsumer pattern = client.consumer("orders.*", "g", 4, (d) ->
        {
            received.add(d.queue() + ":" + d.payloadAsString() + "/" + d.attempt());
            d.ack();
        });
        pollUntil(client, () -> received.size() == 1, TIMEOUT_MS, "the existing queue's message");

        client.publisher("orders.us").publishAndWait("us-1"); // a queue created after the subscribe
        client.publisher("orders.eu.paid").publishAndWait("one segment too many");
        client.publisher("orders.eu").publishAndWait("eu-2");
        pollUntil(client, () -> received.size() == 3, TIMEOUT_MS, "the later messages");

        assertEquals(List.of("orders.eu:eu-1/1", "orders.us:us-1/1", "orders.eu:eu-2/1"), received);
        assertTrue(pattern.isPattern());
        assertEquals(List.of("orders.eu", "orders.us"),
            pattern.attached().stream().map(QueueConsumer::queue).toList());
        assertEquals(0, client.stats("orders.eu").messages(), "acked on the queue's own consumer");
        assertEquals(0, client.stats("orders.us").messages());
        assertEquals(List.of(), errors);
    }

    @Test
    void closingThePatternDetachesEveryQueuesConsumer()
    {
        final List<String> received = new ArrayList<>();
        final QueueConsumer pattern = client.consumer("jobs.>", "g", 4, (d) -> received.add(d.queue()));
        client.publisher("jobs.a").publishAndWait("held"); // left unsettled: given back when the pattern closes
        pollUntil(client, () -> received.size() == 1, TIMEOUT_MS, "the first delivery");

        pattern.close();
        final List<String> after = new ArrayList<>();
        client.consumer("jobs.a", "g", 4, (d) -> after.add(d.payloadAsString() + "/" + d.attempt()));
        pollUntil(client, () -> after.size() == 1, TIMEOUT_MS, "the delivery given back");
        client.publisher("jobs.b.c").publishAndWait("later");
        client.publisher("jobs.a").publishAndWait("sync"); // applied after jobs.b.c: a delivery there would be in
        pollUntil(client, () -> after.size() == 2, TIMEOUT_MS, "the sync message");

        assertEquals(List.of("jobs.a"), received, "nothing after the close, from a new queue neither");
        assertEquals(List.of("held/2", "sync/1"), after);
        assertTrue(pattern.attached().stream().allMatch(QueueConsumer::isClosed));
        assertEquals(List.of(), errors);
    }
}
