package io.ringmq.daemon;

import io.ringmq.client.ClientContext;
import io.ringmq.client.Producer;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import io.ringmq.config.RingmqConfig;
import io.ringmq.daemon.testing.TestDaemons;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A following client's steady state allocates nothing on its thread: an idempotent publisher (each publish copied
 * into a pooled buffer until its receipt) and a consumer that acks, polled by the test's thread, whose idle polls check
 * whether the node is lost. Measured with the JVM's per-thread allocation counter over thousands of messages.
 */
class FollowingClientAllocationTest
{
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    private static final int IN_FLIGHT = 64;
    /** Far below one byte a message: room for a one-off (a JIT deoptimisation's frame), none for a per-message copy. */
    private static final long ALLOWED_BYTES = 16 * 1024;

    @TempDir
    Path tempDir;

    @Test
    void publishingAndConsumingThroughAFollowingClientAllocatesNothingOnceWarm()
    {
        final RingmqConfig config = TestDaemons.config(tempDir);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        try (Daemon daemon = Daemon.launch(new DaemonContext().settings(config));
             RingmqClient client = RingmqClient.connect(new ClientContext().nodes(config.aeronDir().toString())
                 .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10)).clientName("allocation")))
        {
            final long[] consumed = {0};
            client.consumer("orders", "billing", 256, 0, (delivery) ->
            {
                consumed[0]++;
                delivery.ack();
            });
            final Publisher publisher = client.publisher("orders").idempotent(new Producer(5));
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);

            run(client, publisher, payload, consumed, WARM_UP);
            final long threadId = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(threadId);
            run(client, publisher, payload, consumed, MEASURED);
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

            assertEquals(WARM_UP + MEASURED, consumed[0]);
            assertTrue(allocated < ALLOWED_BYTES, allocated + " bytes allocated over " + MEASURED + " messages");
            System.out.println("following client: " + allocated + " bytes allocated over " + MEASURED +
                " publishes, receipts, deliveries and acks");
        }
    }

    private static void run(
        final RingmqClient client,
        final Publisher publisher,
        final UnsafeBuffer payload,
        final long[] consumed,
        final int messages)
    {
        final long target = consumed[0] + messages;
        int sent = 0;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (consumed[0] < target || publisher.unanswered() > 0)
        {
            if (sent < messages && publisher.unanswered() < IN_FLIGHT)
            {
                payload.putInt(0, sent++);
                publisher.publish(payload, 0, payload.capacity());
            }
            if (0 == client.poll() && System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out: " + consumed[0] + " of " + target + " consumed");
            }
        }
    }
}
