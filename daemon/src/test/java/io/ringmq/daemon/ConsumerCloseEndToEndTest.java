package io.ringmq.daemon;

import io.ringmq.client.ClientContext;
import io.ringmq.client.Publisher;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * QueueConsumer.close() through a real daemon: one consumer of a group is detached while its client stays open, and
 * what it held goes to the group's other consumer at once (the visibility timeout is far beyond the test's deadline),
 * as the next attempt, as when a client closes.
 */
class ConsumerCloseEndToEndTest
{
    private static final long TIMEOUT_MS = 10_000;

    @TempDir
    Path tempDir;

    private Daemon daemon;
    private RingmqClient client;
    private Publisher publisher;
    private final List<RingmqException> errors = new ArrayList<>();

    @BeforeEach
    void start()
    {
        final RingmqConfig config = TestDaemons.config(tempDir, Map.of("ringmq.queue.visibility.timeout", "10m"));
        daemon = Daemon.launch(new DaemonContext().settings(config));
        client = TestDaemons.connect(config, new ClientContext().errorHandler(errors::add));
        publisher = client.publisher("jobs");
    }

    @AfterEach
    void stop()
    {
        client.close();
        daemon.close();
    }

    @Test
    void aClosedConsumersDeliveryGoesToTheOtherConsumerAtOnceAsTheNextAttempt()
    {
        final List<String> first = new ArrayList<>();
        final List<String> second = new ArrayList<>();
        final QueueConsumer closing = client.consumer("jobs", "g", 1,
            (d) -> first.add(d.payloadAsString() + "/" + d.attempt()));
        publisher.publishAndWait("m1");
        pollUntil(client, () -> first.size() == 1, TIMEOUT_MS, "the first consumer's delivery");
        final QueueConsumer staying = client.consumer("jobs", "g", 1, (d) ->
        {
            second.add(d.payloadAsString() + "/" + d.attempt());
            d.ack();
        });

        closing.close();

        pollUntil(client, () -> second.size() == 1, TIMEOUT_MS, "the delivery given back to the other consumer");
        assertEquals(List.of("m1/1"), first);
        assertEquals(List.of("m1/2"), second, "as when a client closes: at once, the next attempt");
        assertTrue(closing.isClosed());
        assertThrows(IllegalStateException.class, () -> closing.ack(1, 1));
        closing.close(); // again: nothing

        publisher.publishAndWait("m2");
        pollUntil(client, () -> second.size() == 2, TIMEOUT_MS, "a later message");
        assertEquals(List.of("m1/2", "m2/1"), second, "the group stayed, and only the other consumer gets messages");
        assertEquals(List.of("m1/1"), first);
        assertTrue(staying.consumerId() != closing.consumerId());
        assertEquals(List.of(), errors);
    }

    @Test
    void acksCollectedBeforeCloseAreSentFirst()
    {
        final List<String> second = new ArrayList<>();
        final QueueConsumer[] closing = new QueueConsumer[1];
        closing[0] = client.consumer("jobs", "g", 2, (d) ->
        {
            if (d.payloadAsString().equals("m1"))
            {
                d.ack(); // collected during the poll
            }
            else
            {
                closing[0].close(); // m2 is left unsettled
            }
        });
        publisher.publishAndWait("m1");
        publisher.publishAndWait("m2");
        pollUntil(client, closing[0]::isClosed, TIMEOUT_MS, "the handler closing its consumer");

        client.consumer("jobs", "g", 10, (d) ->
        {
            second.add(d.payloadAsString() + "/" + d.attempt());
            d.ack();
        });
        publisher.publishAndWait("m3");
        pollUntil(client, () -> second.size() == 2, TIMEOUT_MS, "the given-back and the later message");
        assertEquals(List.of("m2/2", "m3/1"), second, "m1's ack went before the unsubscribe: it is not given back");
        assertEquals(List.of(), errors);
    }
}
