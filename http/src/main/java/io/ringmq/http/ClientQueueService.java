package io.ringmq.http;

import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.ClientContext;
import io.ringmq.client.ClientNode;
import io.ringmq.client.ClientPoller;
import io.ringmq.client.ConnectionListener;
import io.ringmq.client.GroupListing;
import io.ringmq.client.OutgoingMessage;
import io.ringmq.client.Producer;
import io.ringmq.client.QueueConsumer;
import io.ringmq.client.QueueListing;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.QueueStats;
import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The {@link QueueService} of the HTTP face: a {@link RingmqClient} whose own poller thread does every call, so the
 * HTTP threads never touch the client (it is single-threaded) and never block: they hand work over and get a future.
 * <p>
 * Sends are asynchronous publishes, many in flight at once, each answered by its own receipt. Receives share one pull
 * consumer per queue and group ({@link GatewayConsumer}). Admin calls block the poller thread for their round trip,
 * while receipts and deliveries keep flowing (a blocking call polls as it waits).
 */
public final class ClientQueueService implements QueueService, AutoCloseable
{
    /** A receive with no wait still gives the daemon a moment to answer the credit it grants. */
    static final long SHORT_POLL_MS = 10;
    /** A group's consumer nobody has used for this long, with nothing in flight, is closed. */
    static final long IDLE_CONSUMER_MS = 60_000;
    static final long SWEEP_INTERVAL_MS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(ClientQueueService.class);

    private final RingmqClient client;
    private final ClientPoller poller;
    private final ScheduledExecutorService timer;
    private final LongSupplier clockMs;
    private final PublishReceipts receipts;
    private final long sendTimeoutMs;
    /** Poller thread only. */
    private final Map<String, GatewayConsumer> consumers = new HashMap<>();
    /** Poller thread only. */
    private final SettleConfirmations confirmations = new SettleConfirmations(this::onPoller);
    /** Poller thread only: the next hand-out's number, from a random start (see {@link ReceiptHandles}). */
    private long nextHandOut = ThreadLocalRandom.current().nextLong();
    private final CompletableFuture<String> gaveUp = new CompletableFuture<>();
    private volatile boolean connected = true;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClientQueueService(
        final RingmqClient client,
        final Producer producer,
        final LongSupplier clockMs,
        final long sendTimeoutMs)
    {
        this.client = client;
        this.clockMs = clockMs;
        this.sendTimeoutMs = sendTimeoutMs;
        this.receipts = new PublishReceipts(clockMs, producer);
        this.timer = Executors.newSingleThreadScheduledExecutor((runnable) ->
        {
            final Thread thread = new Thread(runnable, "ringmq-http-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.poller = client.startPoller();
        timer.scheduleWithFixedDelay(() -> onPoller(this::sweep), SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS,
            TimeUnit.MILLISECONDS);
    }

    /**
     * Connects to the daemon (or the primary of {@code ctx.nodes()}, followed through a failover or a restart for the
     * context's reconnect timeout) and starts the client's poller.
     *
     * @param sendTimeoutMs how long a send waits for its receipt before it fails with {@code REQUEST_TIMEOUT}.
     */
    public static ClientQueueService connect(final ClientContext ctx, final long sendTimeoutMs)
    {
        final Relay relay = new Relay(ctx.connectionListener());
        ctx.connectionListener(relay);
        final Consumer<RingmqException> errors = null != ctx.errorHandler() ? ctx.errorHandler() :
            (ex) -> LOG.warn("{}", ex.getMessage()); // e.g. a STALE_DELIVERY for an ack that raced its deadline
        ctx.errorHandler((ex) ->
        {
            if (null != relay.service && relay.service.gaveUp.isDone())
            {
                LOG.debug("after the client gave up: {}", ex.getMessage()); // said once already, by onGaveUp
                return;
            }
            if (null != relay.service && relay.service.confirmations.onRefusal(ex))
            {
                LOG.debug("a settle was refused: {}", ex.getMessage()); // its HTTP request is answered 410
                return;
            }
            errors.accept(ex);
        });
        final RingmqClient client = RingmqClient.connect(ctx);
        final boolean follows = !ctx.nodes().isEmpty();
        // Following, a send resent after a reconnect must not be stored twice: send as the producer the daemon issued.
        final Producer producer = follows && 0 != client.issuedProducerId() ?
            new Producer(client.issuedProducerId()) : null;
        final ClientQueueService service =
            new ClientQueueService(client, producer, System::currentTimeMillis, sendTimeoutMs);
        relay.service = service;
        return service;
    }

    public CompletableFuture<Long> send(final String queue, final byte[] body, final OutgoingMessage message)
    {
        final CompletableFuture<Long> result = new CompletableFuture<>();
        onPoller(result, (c) -> receipts.send(c, queue, body, message, result));
        return result;
    }

    public CompletableFuture<List<ReceivedMessage>> receive(final String queue, final ReceiveRequest request)
    {
        final CompletableFuture<List<ReceivedMessage>> result = new CompletableFuture<>();
        onPoller(result, (c) ->
        {
            if (result.isDone())
            {
                return; // its client went away before it was read
            }
            final GatewayConsumer consumer = consumerFor(c, queue, request.group());
            final GatewayConsumer.Waiter waiter = consumer.receive(request, result);
            if (!result.isDone())
            {
                // Cancelled by the HTTP side when the client's connection closes while it waits.
                result.whenComplete((messages, failure) ->
                {
                    if (result.isCancelled())
                    {
                        onPoller((ignored) -> consumer.clientGone(waiter));
                    }
                });
                timer.schedule(() -> onPoller((ignored) -> consumer.expire(waiter)),
                    Math.max(SHORT_POLL_MS, request.waitMs()), TimeUnit.MILLISECONDS);
            }
        });
        return result;
    }

    public CompletableFuture<Void> delete(final String queue, final String receiptHandle)
    {
        return settle(queue, receiptHandle, GatewayConsumer.Settle.ACK, 0);
    }

    public CompletableFuture<Void> changeVisibility(final String queue, final String receiptHandle, final long timeoutMs)
    {
        if (timeoutMs < 0 || timeoutMs > ReceiveRequest.MAX_VISIBILITY_TIMEOUT_MS)
        {
            return CompletableFuture.failedFuture(new IllegalArgumentException("timeoutMs=" + timeoutMs +
                " must be between 0 (visible again now) and " + ReceiveRequest.MAX_VISIBILITY_TIMEOUT_MS));
        }
        return settle(queue, receiptHandle, GatewayConsumer.Settle.VISIBILITY, timeoutMs);
    }

    public CompletableFuture<Void> reject(final String queue, final String receiptHandle)
    {
        return settle(queue, receiptHandle, GatewayConsumer.Settle.REJECT, 0);
    }

    public CompletableFuture<Boolean> declareQueue(final String queue, final QueueOptions options)
    {
        return call((c) -> c.declareQueue(queue, options));
    }

    public CompletableFuture<List<QueueListing>> queues(final String pattern)
    {
        return call((c) -> c.queues(pattern));
    }

    public CompletableFuture<List<GroupListing>> groups(final String queue)
    {
        return call((c) -> c.groups(queue));
    }

    public CompletableFuture<QueueStats> stats(final String queue)
    {
        return call((c) -> c.stats(queue));
    }

    public CompletableFuture<Long> purge(final String queue)
    {
        return call((c) -> c.purge(queue));
    }

    /**
     * The gateway's own consumers of the queue are closed first (a receive waiting on one answers with what it has),
     * so that they do not count as the consumers a delete without force is refused for.
     */
    public CompletableFuture<Long> deleteQueue(final String queue, final boolean force)
    {
        return call((c) ->
        {
            closeConsumersOf(queue);
            return c.deleteQueue(queue, force);
        });
    }

    /** Deletes one consumer group; the gateway's own consumer of it is closed first, as for {@link #deleteQueue}. */
    public CompletableFuture<Long> deleteGroup(final String queue, final String group, final boolean force)
    {
        return call((c) ->
        {
            final GatewayConsumer own = consumers.remove(key(queue, group));
            if (null != own)
            {
                own.close();
            }
            return c.deleteGroup(queue, group, force);
        });
    }

    public CompletableFuture<List<BrowsedMessage>> deadLetters(final String queue, final String group, final long max)
    {
        return call((c) ->
        {
            final List<BrowsedMessage> letters = new ArrayList<>();
            DeadLetterCalls.orZero(c, queue, (client) -> client.browse(queue + ".dlq", group, max, letters::add));
            return letters;
        });
    }

    public CompletableFuture<Long> redrive(final String queue, final String group, final long count)
    {
        return call((c) -> DeadLetterCalls.orZero(c, queue, (client) -> client.redrive(queue + ".dlq", group, count)));
    }

    public CompletableFuture<FaceLoad> load()
    {
        return call((c) ->
        {
            long receives = 0;
            long inFlight = 0;
            long held = 0;
            for (final GatewayConsumer consumer : consumers.values())
            {
                receives += consumer.receivesWaiting();
                inFlight += consumer.inFlightCount();
                held += consumer.waitingHere();
            }
            return new FaceLoad(receives, inFlight, held, receipts.waiting(), consumers.size());
        });
    }

    public boolean connected()
    {
        return connected && poller.isRunning();
    }

    /** Completes with the reason once the client has given up finding a daemon (it is closed then). */
    public CompletableFuture<String> gaveUp()
    {
        return gaveUp;
    }

    /**
     * Closes every group's consumer (their deliveries not settled go back at once, and waiting receives answer with
     * what they have), fails sends still waiting, and closes the client. Idempotent.
     */
    public void close()
    {
        if (closed.getAndSet(true))
        {
            return;
        }
        timer.shutdownNow();
        if (poller.isRunning() && !gaveUp.isDone()) // a client that gave up has closed itself, and its poller stopped
        {
            try
            {
                poller.call((c) ->
                {
                    closeConsumersOf(null);
                    receipts.failAll("the HTTP face is closing");
                    confirmations.failAll(new RingmqException("the HTTP face is closing"));
                    return null;
                });
            }
            catch (final RuntimeException ex)
            {
                LOG.debug("closing the gateway's consumers", ex);
            }
        }
        poller.close();
        client.close();
    }

    private CompletableFuture<Void> settle(
        final String queue, final String receiptHandle, final GatewayConsumer.Settle how, final long timeoutMs)
    {
        final ReceiptHandles.Decoded handle;
        try
        {
            handle = ReceiptHandles.decode(receiptHandle);
        }
        catch (final ReceiptHandleException ex)
        {
            return CompletableFuture.failedFuture(ex);
        }
        final CompletableFuture<Void> result = new CompletableFuture<>();
        onPoller(result, (c) ->
        {
            final GatewayConsumer consumer = consumers.get(key(queue, handle.group()));
            if (null == consumer)
            {
                throw new ReceiptHandleException("delivery " + handle.sequence() + "/" + handle.attempt() +
                    " of queue '" + queue + "' group '" + handle.group() + "' is not in flight to this HTTP face", false);
            }
            consumer.settle(handle, how, timeoutMs, result);
        });
        return result;
    }

    private GatewayConsumer consumerFor(final RingmqClient c, final String queue, final String group)
    {
        final String key = key(queue, group);
        GatewayConsumer consumer = consumers.get(key);
        if (null == consumer)
        {
            final GatewayConsumer created = new GatewayConsumer(queue, group, clockMs, () -> nextHandOut++,
                confirmations, (task) -> onPoller((ignored) -> task.run()));
            final QueueConsumer subscription = c.consumer(queue, group, 0, 0, false, created); // UNKNOWN_QUEUE: 404
            try
            {
                created.attach(subscription, visibilityOf(c, queue));
            }
            catch (final RuntimeException ex)
            {
                subscription.close(); // not kept: a later receive subscribes again
                throw ex;
            }
            consumers.put(key, created);
            consumer = created;
        }
        return consumer;
    }

    /** The queue's visibility timeout, which the gateway's consumer takes (it asks for none of its own). */
    private static long visibilityOf(final RingmqClient c, final String queue)
    {
        for (final QueueListing listing : c.queues(queue))
        {
            if (listing.name().equals(queue))
            {
                return listing.visibilityTimeoutMs();
            }
        }
        throw new RingmqException(ErrorCode.UNKNOWN_QUEUE, "queue '" + queue + "' does not exist");
    }

    private void closeConsumersOf(final String queue)
    {
        final Iterator<GatewayConsumer> it = consumers.values().iterator();
        while (it.hasNext())
        {
            final GatewayConsumer consumer = it.next();
            if (null == queue || consumer.queue().equals(queue))
            {
                consumer.close();
                it.remove();
            }
        }
    }

    private void sweep(final RingmqClient c)
    {
        final Iterator<GatewayConsumer> it = consumers.values().iterator();
        while (it.hasNext())
        {
            final GatewayConsumer consumer = it.next();
            if (consumer.sweep(IDLE_CONSUMER_MS))
            {
                consumer.close();
                it.remove();
            }
        }
        receipts.failOlderThan(sendTimeoutMs);
    }

    private void onNodeLost(final String reason)
    {
        connected = false;
        receipts.onNodeLost(reason);
        consumers.values().forEach(GatewayConsumer::forgetDeliveries);
    }

    private void onReconnected()
    {
        consumers.values().forEach(GatewayConsumer::forgetDeliveries);
        connected = true;
    }

    private void onGaveUp(final String reason)
    {
        connected = false;
        receipts.failAll(reason);
        confirmations.failAll(new RingmqException("the HTTP face has no daemon: " + reason));
        consumers.values().forEach(GatewayConsumer::abandon); // runs inside the client's give-up: not a frame more
        consumers.clear();
        gaveUp.complete(reason);
    }

    private <T> CompletableFuture<T> call(final Function<RingmqClient, T> function)
    {
        try
        {
            return poller.submit(function);
        }
        catch (final IllegalStateException ex)
        {
            return CompletableFuture.failedFuture(unavailable());
        }
    }

    /** Runs the task on the poller thread; what it throws fails {@code result}. */
    private void onPoller(final CompletableFuture<?> result, final Consumer<RingmqClient> task)
    {
        try
        {
            poller.execute((c) ->
            {
                try
                {
                    task.accept(c);
                }
                catch (final RuntimeException ex)
                {
                    result.completeExceptionally(ex);
                }
            });
        }
        catch (final IllegalStateException ex)
        {
            result.completeExceptionally(unavailable());
        }
    }

    private void onPoller(final Consumer<RingmqClient> task)
    {
        try
        {
            poller.execute(task);
        }
        catch (final IllegalStateException ex)
        {
            LOG.debug("the client's poller has stopped", ex);
        }
    }

    private RingmqException unavailable()
    {
        return new RingmqException("the HTTP face has no daemon: " + (gaveUp.isDone() ? gaveUp.join() :
            "its client is closed"));
    }

    private static String key(final String queue, final String group)
    {
        return queue + '\n' + group;
    }

    /** Tells the service, then the listener the caller gave, about the connection. Runs on the poller thread. */
    private static final class Relay implements ConnectionListener
    {
        private final ConnectionListener next;
        private volatile ClientQueueService service;

        Relay(final ConnectionListener next)
        {
            this.next = next;
        }

        public void onLost(final ClientNode node, final String reason)
        {
            if (null != service)
            {
                service.onNodeLost(reason);
            }
            next.onLost(node, reason);
        }

        public void onReconnected(final ClientNode node, final int resent, final long notResent)
        {
            if (null != service)
            {
                service.onReconnected();
            }
            next.onReconnected(node, resent, notResent);
        }

        public void onGaveUp(final String reason)
        {
            if (null != service)
            {
                service.onGaveUp(reason);
            }
            next.onGaveUp(reason);
        }
    }
}
