package io.ringmq.daemon.it;

import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.ClientContext;
import io.ringmq.client.ConnectionListener;
import io.ringmq.client.ClientNode;
import io.ringmq.client.Delivery;
import io.ringmq.client.GroupOptions;
import io.ringmq.client.Producer;
import io.ringmq.client.Publisher;
import io.ringmq.client.RingmqClient;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault suite's clients: two idempotent producers and two consumers (one per group), each a thread of the test
 * JVM with a following client of its own (separate processes would cost a JVM each on a two-core machine), plus an
 * audit group that never consumes, so every stored message stays in the queue and a peek shows each one.
 * <p>
 * Producers publish only what {@link #allowPublishes} grants (a round's budget) with {@code publishAndWait}, and
 * record each receipted producer sequence. Consumers ack everything and record the first delivery of each (producer,
 * sequence) per group, noting at once a first delivery that comes before an earlier sequence of its producer.
 * Anything unexpected (an exception, an order break, a gave-up) goes into {@link #failures()}.
 */
final class FaultTraffic implements AutoCloseable
{
    static final String QUEUE = "orders";
    static final String AUDIT_GROUP = "audit";
    static final String[] GROUPS = {"billing", "shipping"};
    static final long[] PRODUCER_IDS = {1, 2};
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(120);

    private final String nodes;
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final Semaphore[] budgets = new Semaphore[PRODUCER_IDS.length];
    private final AtomicLong[] granted = new AtomicLong[PRODUCER_IDS.length];
    private final AtomicLong[] answered = new AtomicLong[PRODUCER_IDS.length];
    private final List<NavigableSet<Long>> receipted = new ArrayList<>();
    /** delivered.get(group).get(producer index): the producer sequences the group's consumer has seen. */
    private final List<List<Set<Long>>> delivered = new ArrayList<>();
    private final ReceiptEpochs receiptEpochs = new ReceiptEpochs();
    private final AtomicLong receiptedTotal = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile boolean running = true;

    FaultTraffic(final String nodes)
    {
        this.nodes = nodes;
        for (int p = 0; p < PRODUCER_IDS.length; p++)
        {
            budgets[p] = new Semaphore(0);
            granted[p] = new AtomicLong();
            answered[p] = new AtomicLong();
            receipted.add(new ConcurrentSkipListSet<>());
        }
        for (int g = 0; g < GROUPS.length; g++)
        {
            final List<Set<Long>> byProducer = new ArrayList<>();
            for (int p = 0; p < PRODUCER_IDS.length; p++)
            {
                byProducer.add(new ConcurrentSkipListSet<>());
            }
            delivered.add(byProducer);
        }
    }

    /** Declares the audit group, subscribes the consumers (waiting until they are), then starts the producers. */
    void start()
    {
        try (RingmqClient client = RingmqClient.connect(context("faults-setup")))
        {
            client.declareGroup(QUEUE, AUDIT_GROUP, GroupOptions.unset());
        }
        final CountDownLatch subscribed = new CountDownLatch(GROUPS.length);
        for (int g = 0; g < GROUPS.length; g++)
        {
            final int group = g;
            startThread("faults-consumer-" + GROUPS[g], () -> consume(group, subscribed));
        }
        try
        {
            assertTrue(subscribed.await(WAIT_NS, TimeUnit.NANOSECONDS), "consumers not subscribed: " + failures);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
        for (int p = 0; p < PRODUCER_IDS.length; p++)
        {
            final int producer = p;
            startThread("faults-producer-" + PRODUCER_IDS[p], () -> produce(producer));
        }
    }

    /** Lets each producer publish {@code perProducer} more messages. */
    void allowPublishes(final int perProducer)
    {
        for (int p = 0; p < PRODUCER_IDS.length; p++)
        {
            granted[p].addAndGet(perProducer);
            budgets[p].release(perProducer);
        }
    }

    long receiptedTotal()
    {
        return receiptedTotal.get();
    }

    /** How often a client heard it was reconnected (to the new primary). */
    long reconnects()
    {
        return reconnects.get();
    }

    /** Every receipt with its epoch: see {@link ReceiptEpochs} for the checks. */
    ReceiptEpochs receiptEpochs()
    {
        return receiptEpochs;
    }

    List<String> failures()
    {
        return new ArrayList<>(failures);
    }

    void awaitReceiptedAtLeast(final long total)
    {
        await(() -> receiptedTotal.get() >= total, "receipts reach " + total);
    }

    /** Waits until every publish granted so far is answered and every receipted one reached both groups. */
    void awaitQuiet()
    {
        await(() ->
        {
            for (int p = 0; p < PRODUCER_IDS.length; p++)
            {
                if (answered[p].get() != granted[p].get())
                {
                    return false;
                }
            }
            return true;
        }, "every granted publish is answered");
        await(() ->
        {
            for (int g = 0; g < GROUPS.length; g++)
            {
                for (int p = 0; p < PRODUCER_IDS.length; p++)
                {
                    if (!delivered.get(g).get(p).containsAll(receipted.get(p)))
                    {
                        return false;
                    }
                }
            }
            return true;
        }, "every receipted message is delivered to both groups");
    }

    /**
     * Peeks the whole queue (the audit group pins every message) and returns what is wrong: a (producer, sequence)
     * stored twice, a receipted one missing, a producer's sequences out of order in the queue, or what {@link
     * ReceiptEpochs#problemsAgainst} finds (held at another queue sequence than its receipt named, stored by an old
     * primary after a newer one began).
     */
    List<String> audit(final RingmqClient client)
    {
        final List<String> problems = new ArrayList<>();
        final List<Map<Long, Integer>> stored = new ArrayList<>();
        final List<Map<Long, BrowsedMessage>> storedAt = new ArrayList<>();
        final long[] last = new long[PRODUCER_IDS.length];
        for (int p = 0; p < PRODUCER_IDS.length; p++)
        {
            stored.add(new HashMap<>());
            storedAt.add(new HashMap<>());
        }
        client.peek(QUEUE, 0, (BrowsedMessage message) ->
        {
            final int p = indexOf(message.producerId());
            if (p < 0)
            {
                problems.add("a message from no producer of the test: " + message);
                return;
            }
            if (stored.get(p).merge(message.producerSequence(), 1, Integer::sum) > 1)
            {
                problems.add("producer " + message.producerId() + " sequence " + message.producerSequence() +
                    " stored twice (queue sequence " + message.sequence() + ")");
            }
            if (message.producerSequence() <= last[p])
            {
                problems.add("producer " + message.producerId() + " sequence " + message.producerSequence() +
                    " stored after its sequence " + last[p]);
            }
            last[p] = Math.max(last[p], message.producerSequence());
            storedAt.get(p).put(message.producerSequence(), message);
        });
        problems.addAll(receiptEpochs.problemsAgainst(storedAt, PRODUCER_IDS));
        for (int p = 0; p < PRODUCER_IDS.length; p++)
        {
            for (final long sequence : receipted.get(p))
            {
                if (!stored.get(p).containsKey(sequence))
                {
                    problems.add("producer " + PRODUCER_IDS[p] + " sequence " + sequence + " receipted but lost");
                }
            }
        }
        return problems;
    }

    @Override
    public void close()
    {
        running = false;
        for (final Thread thread : threads)
        {
            thread.interrupt();
        }
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void produce(final int p)
    {
        final Producer producer = new Producer(PRODUCER_IDS[p], 1);
        try (RingmqClient client = RingmqClient.connect(context("faults-producer-" + PRODUCER_IDS[p])))
        {
            final Publisher publisher = client.publisher(QUEUE).idempotent(producer);
            while (running)
            {
                if (!budgets[p].tryAcquire(10, TimeUnit.MILLISECONDS))
                {
                    continue;
                }
                final long sequence = producer.nextSequence();
                final long queueSequence = publisher.publishAndWait("p" + PRODUCER_IDS[p] + "-" + sequence);
                receiptEpochs.record(p, sequence, queueSequence, publisher.lastReceiptEpoch());
                receipted.get(p).add(sequence);
                receiptedTotal.incrementAndGet();
                answered[p].incrementAndGet();
            }
        }
        catch (final InterruptedException ex)
        {
            // closing
        }
        catch (final RuntimeException ex)
        {
            if (running)
            {
                failures.add("producer " + PRODUCER_IDS[p] + ": " + ex);
            }
        }
    }

    private void consume(final int g, final CountDownLatch subscribed)
    {
        final long[] highest = new long[PRODUCER_IDS.length];
        final IdleStrategy idle = new SleepingMillisIdleStrategy(1);
        try (RingmqClient client = RingmqClient.connect(context("faults-consumer-" + GROUPS[g])))
        {
            client.consumer(QUEUE, GROUPS[g], (Delivery delivery) ->
            {
                final int p = indexOf(delivery.producerId());
                final long sequence = delivery.producerSequence();
                if (p >= 0 && delivered.get(g).get(p).add(sequence))
                {
                    if (sequence < highest[p])
                    {
                        failures.add("group " + GROUPS[g] + " got producer " + PRODUCER_IDS[p] + " sequence " +
                            sequence + " after its sequence " + highest[p]);
                    }
                    highest[p] = Math.max(highest[p], sequence);
                }
                delivery.ack();
            });
            subscribed.countDown();
            while (running)
            {
                idle.idle(client.poll());
            }
        }
        catch (final RuntimeException ex)
        {
            if (running)
            {
                failures.add("consumer " + GROUPS[g] + ": " + ex);
            }
        }
    }

    private ClientContext context(final String name)
    {
        return new ClientContext()
            .nodes(nodes)
            .connectTimeoutNs(FaultPair.CONNECT_TIMEOUT_NS)
            .responseTimeoutNs(TimeUnit.SECONDS.toNanos(3))
            .reconnectTimeoutNs(TimeUnit.SECONDS.toNanos(60))
            .idleStrategy(new SleepingMillisIdleStrategy(1))
            .clientName(name)
            .connectionListener(new ConnectionListener()
            {
                @Override
                public void onReconnected(final ClientNode node, final int resent, final long notResent)
                {
                    reconnects.incrementAndGet();
                    if (notResent > 0)
                    {
                        failures.add(name + ": " + notResent + " publishes not resent after a reconnect");
                    }
                }

                @Override
                public void onGaveUp(final String reason)
                {
                    failures.add(name + " gave up: " + reason);
                }
            });
    }

    private void startThread(final String name, final Runnable body)
    {
        final Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void await(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + WAIT_NS;
        final IdleStrategy idle = new SleepingMillisIdleStrategy(5);
        while (!condition.getAsBoolean())
        {
            assertTrue(failures.isEmpty(), "while waiting until " + what + ": " + failures);
            assertTrue(System.nanoTime() < deadlineNs, "never: " + what);
            idle.idle();
        }
    }

    private static int indexOf(final long producerId)
    {
        for (int p = 0; p < PRODUCER_IDS.length; p++)
        {
            if (PRODUCER_IDS[p] == producerId)
            {
                return p;
            }
        }
        return -1;
    }
}
