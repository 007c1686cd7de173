package io.ringmq.daemon;

import io.ringmq.client.KeptDelivery;
import io.ringmq.client.OutgoingMessage;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Deliveries kept past their handler keep their message and can be settled later, outside any poll. */
class KeptDeliveryEndToEndTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path tempDir;

    @Test
    void keptCopiesOutliveTheFlyweightAndSettleAfterThePoll()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        try (Daemon ignored = Daemon.launch(new DaemonContext().settings(config));
            RingmqClient client = TestDaemons.connect(config))
        {
            client.publisher("kept").publishAndWait("first", new OutgoingMessage().header("k", "v1").messageId("m1"));
            client.publisher("kept").publishAndWait("second", new OutgoingMessage().header("k", "v2").messageId("m2"));

            final List<KeptDelivery> kept = new ArrayList<>();
            final List<String> again = new ArrayList<>();
            final boolean[] keeping = {true};
            client.consumer("kept", "g", (delivery) ->
            {
                if (keeping[0])
                {
                    kept.add(delivery.keep());
                    return;
                }
                again.add(delivery.payloadAsString() + "/" + delivery.attempt());
                delivery.ack();
            });
            pollUntil(client, () -> kept.size() == 2);
            keeping[0] = false;

            // The flyweight has been rewrapped since; each copy still holds its own message.
            assertEquals(List.of("first", "second"), kept.stream().map(KeptDelivery::payloadAsString).toList());
            assertEquals(List.of("v1", "v2"), kept.stream().map((k) -> k.headers().text("k")).toList());
            assertEquals(List.of("m1", "m2"), kept.stream().map(KeptDelivery::messageId).toList());

            kept.get(0).ack(); // outside the poll: sent at once
            kept.get(1).nack();
            pollUntil(client, () -> !again.isEmpty());
            assertEquals(List.of("second/2"), again, "the acked copy settled its message, the nacked one came back");
            pollUntil(client, () -> 0 == client.stats("kept").messages());
        }
    }

    private static void pollUntil(final RingmqClient client, final BooleanSupplier done)
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("not done within 30 s");
            }
            client.poll();
            Thread.onSpinWait();
        }
        assertTrue(done.getAsBoolean());
    }
}
