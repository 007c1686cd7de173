package io.ringmq.client;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import io.aeron.exceptions.DriverTimeoutException;
import io.ringmq.codecs.AdminAction;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.QueryKind;
import io.ringmq.core.protocol.Names;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;

import java.io.File;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A connection to a ringmq daemon: publishers with receipts, consumers with explicit acks.
 * <p>
 * Responses (receipts, deliveries, errors) arrive when the application calls {@link #poll()}; blocking calls poll
 * while they wait. Not thread-safe: create it, use it and poll it from one thread, like an Aeron
 * {@code Subscription} or an {@code AeronCluster} client, or let a {@link ClientPoller} thread own it
 * ({@link #startPoller()}) and hand that thread the work.
 * <p>
 * Acks made during a poll (in a message handler or receipt listener) are collected per consumer and sent when the
 * poll returns, each consumer's as one AckBatch frame (see {@link ClientContext#ackBatchLimit(int)}): one frame, one
 * journal record and one state-machine command for a poll's worth of acks. The daemon applies a batch exactly as the
 * same acks one by one. A nack, reject or extend of a consumer sends its collected acks first, so it never overtakes
 * them. Acks made outside a poll are sent at once.
 *
 * <pre>{@code
 * try (RingmqClient client = RingmqClient.connect(new ClientContext().aeronDirectoryName(dir)))
 * {
 *     long sequence = client.publisher("orders").publishAndWait("order-123");
 *     client.consumer("orders", "billing", delivery -> { process(delivery); delivery.ack(); });
 *     while (running) { client.poll(); }
 * }
 * }</pre>
 */
public final class RingmqClient implements AutoCloseable, EgressAdapter.Listener
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final int DEFAULT_PREFETCH = 256;

    private final ClientContext ctx;
    /** The connection to the node now serving this client: replaced when a following client reconnects. */
    private NodeLink link;
    private FragmentAssembler egressAssembler;
    private final IngressSender sender;
    private final IdleStrategy idleStrategy;
    private final Int2ObjectHashMap<Publisher> publishers = new Int2ObjectHashMap<>();
    /** Requesters by the id of the publisher that sends their requests. */
    private final Int2ObjectHashMap<Requester> requesters = new Int2ObjectHashMap<>();
    private final ArrayList<Requester> requesterList = new ArrayList<>();
    private final Long2ObjectHashMap<QueueConsumer> consumers = new Long2ObjectHashMap<>();
    /** Consumers that made acks during the current poll, in the order of their first one. */
    private final ArrayList<QueueConsumer> consumersWithPendingAcks = new ArrayList<>();
    private int ackBatchLimit;
    /** Where every correlation id count of this client starts: unpredictable to other clients. */
    private final SecureRandom random = new SecureRandom();
    private final CorrelationIds controlCorrelations = new CorrelationIds(0, random);
    private PendingConsumer pendingConsumer;
    /** The consumer being subscribed again after a reconnect. */
    private QueueConsumer resubscribing;
    private Consumer<BrowsedMessage> browseHandler;
    private QueueStats receivedStats;
    private Consumer<QueueListing> queueListingHandler;
    private Consumer<GroupListing> groupListingHandler;

    private long awaitedCorrelationId = Long.MIN_VALUE;
    private boolean responseArrived;
    private long responseValue;
    /** The epoch of the receipt that answered the awaited publish. */
    private long awaitedReceiptEpoch;
    private ErrorCode responseErrorCode;
    private String responseErrorMessage;
    /** Set by a reconnect when the request a blocking call waits for was not sent again: the call fails. */
    private String awaitedLostBy;

    private long sessionId;
    private int maxMessageLength;
    private int maxPayloadLength;
    private int maxHeaderLength;
    private long issuedProducerId;
    private boolean closed;
    /** Why a following client gave up looking for a primary; calls on it throw this. */
    private String gaveUp;
    private boolean polling;
    /** A session is open and the client follows the primary: a lost node is looked for again. */
    private boolean following;
    /** The ingress sender is waiting for room and polls meanwhile: a reconnect there would pull its frame away. */
    private boolean pollingForSender;
    /** The thread of this client's {@link ClientPoller} while one runs: then the only thread that may call in. */
    private volatile Thread pollerThread;
    private ClientPoller poller;

    private RingmqClient(final ClientContext ctx)
    {
        this.ctx = ctx;
        this.idleStrategy = ctx.idleStrategy();
        this.sender = new IngressSender(
            null, ctx.idleStrategy(), ctx.clock(), ctx.responseTimeoutNs(), this::pollForSender, () -> polling);
        try
        {
            if (ctx.nodes().isEmpty())
            {
                useLink(NodeLink.ofContext(ctx));
                openSession(ctx.connectTimeoutNs());
            }
            else
            {
                findPrimary(null, ctx.clock().nanoTime() + ctx.connectTimeoutNs(), false);
            }
            following = ctx.follows();
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(link);
            if (ctx.ownsAeron())
            {
                CloseHelper.quietClose(ctx.aeron());
            }
            throw ex;
        }
    }

    /**
     * Connects to the daemon the context names, or to the primary among its {@link ClientContext#nodes}. Fails within
     * the connect timeout, with a message saying so, when no daemon is running (no node takes the client).
     */
    public static RingmqClient connect(final ClientContext ctx)
    {
        ctx.conclude();
        if (ctx.nodes().isEmpty())
        {
            connectAeron(ctx);
        }
        return new RingmqClient(ctx);
    }

    /**
     * Gives a concluded context the Aeron client it names, connecting one (owned by the context) to the daemon's media
     * driver unless it was given one.
     *
     * @throws RingmqException within the connect timeout when no daemon's media driver is running there.
     */
    static void connectAeron(final ClientContext ctx)
    {
        if (null == ctx.aeron())
        {
            ctx.ownedAeron(
                NodeLink.connectAeron(ctx.aeronDirectoryName(), ctx.clientName(), ctx.connectTimeoutNs(),
                    ctx.connectTimeoutNs(), (throwable) ->
                    {
                        // The conductor ending after the driver timeout it reported: nothing more to tell.
                        if (!(throwable instanceof AgentTerminationException))
                        {
                            ctx.errorHandler().accept(aeronError(ctx, throwable));
                        }
                    }));
        }
    }

    /**
     * What the Aeron client's own thread reports, for the context's error handler. Aeron's default handler would end
     * the application's process when the driver stops answering (a daemon stopped, or a machine so loaded that its
     * keepalive came late); a library must not, so the Aeron client closes itself and the application is told.
     */
    static RingmqException aeronError(final ClientContext ctx, final Throwable throwable)
    {
        if (throwable instanceof DriverTimeoutException)
        {
            return new RingmqException("the daemon's media driver in " + ctx.aeronDirectoryName() + " stopped " +
                "answering (" + throwable.getMessage() + "): this client is closed; connect again once the daemon runs");
        }
        return new RingmqException("aeron: " + throwable);
    }

    private void useLink(final NodeLink link)
    {
        this.link = link;
        this.egressAssembler = new FragmentAssembler(new EgressAdapter(this));
        sender.link(link.ingress);
    }

    /** Sends Connect on the link and waits for the session. */
    private void openSession(final long timeoutNs)
    {
        final long correlationId = controlCorrelations.next();
        beginRequest(correlationId);
        sender.connect(correlationId, ctx.responseChannel(), link.responseStreamId, ctx.clientName());
        sessionId = awaitResponse(ctx.responseChannel().startsWith("aeron:udp") ? "connect (a daemon answers " +
            "nothing on a UDP response channel whose host is neither this client's address as the daemon sees " +
            "it nor in its ringmq.response.allowed.hosts)" : "connect", timeoutNs);
        sender.session(sessionId, maxMessageLength, maxPayloadLength, maxHeaderLength);
        ackBatchLimit = sender.ackBatchLimit(ctx.ackBatchLimit());
    }

    /** Opens a session with the primary among the nodes, trying each (see {@link PrimaryFinder}). */
    private ClientNode findPrimary(final ClientNode lost, final long deadlineNs, final boolean retry)
    {
        return new PrimaryFinder(ctx.nodes(), ctx.clock()).find(lost, deadlineNs, retry, (node, timeoutNs) ->
        {
            final NodeLink tried = NodeLink.of(ctx, node, timeoutNs);
            try
            {
                useLink(tried);
                openSession(timeoutNs);
            }
            catch (final RuntimeException ex)
            {
                tried.close();
                throw ex;
            }
        });
    }

    /**
     * The connected node is lost: finds the primary among the nodes within the reconnect timeout, subscribes the
     * consumers again and resends the idempotent producers' unanswered publishes; or gives up and closes.
     *
     * @throws RingmqException if no node took the client in time (the client is closed then).
     */
    private void reconnect(final String reason)
    {
        final ClientNode lostNode = link.node;
        ctx.connectionListener().onLost(lostNode, reason);
        final long awaited = awaitedCorrelationId;
        following = false;
        link.close();
        sender.dropDeferred();
        for (int i = 0; i < consumersWithPendingAcks.size(); i++)
        {
            consumersWithPendingAcks.get(i).dropPendingAcks();
        }
        consumersWithPendingAcks.clear();
        final ClientNode node;
        try
        {
            node = findPrimary(lostNode, ctx.clock().nanoTime() + ctx.reconnectTimeoutNs(), true);
        }
        catch (final RingmqException ex)
        {
            gaveUp = "gave up reconnecting after " + TimeUnit.NANOSECONDS.toMillis(ctx.reconnectTimeoutNs()) +
                " ms (ringmq.client.reconnect.timeout) since the node " + lostNode + " was lost (" + reason + "): " +
                ex.getMessage();
            ctx.connectionListener().onGaveUp(gaveUp);
            close(false);
            throw new RingmqException(gaveUp);
        }
        resubscribeConsumers();
        beginRequest(awaited); // before the resends: their receipts may come while the ingress makes a resend wait
        final long[] counts = resendUnreceipted(awaited);
        if (Long.MIN_VALUE != awaited && 0 == counts[2])
        {
            awaitedLostBy = "the node " + lostNode + " was lost (" + reason + ") and the client reconnected to " +
                node + "; this request is not sent again: do it again if it did not happen";
        }
        following = true;
        ctx.connectionListener().onReconnected(node, (int)counts[0], counts[1]);
    }

    private void resubscribeConsumers()
    {
        final ArrayList<QueueConsumer> attached = new ArrayList<>(consumers.values());
        consumers.clear();
        for (final QueueConsumer consumer : attached)
        {
            if (null != consumer.subscription())
            {
                continue; // its pattern's consumer subscribes again, and the daemon attaches anew
            }
            final long correlationId = controlCorrelations.next();
            beginRequest(correlationId);
            resubscribing = consumer;
            try
            {
                consumer.resubscribe(correlationId);
                awaitResponse("subscribe " + consumer.queue() + "/" + consumer.group() + " again", ctx.responseTimeoutNs());
                consumer.restoreCredits();
            }
            catch (final RingmqException ex)
            {
                consumer.lost();
                ctx.errorHandler().accept(new RingmqException(ex.code(), "consumer of " + consumer.queue() + "/" +
                    consumer.group() + " could not subscribe again after a reconnect, and is closed: " +
                    ex.getMessage()));
            }
            finally
            {
                resubscribing = null;
            }
        }
    }

    /** @return {resent, unanswered and not resent, 1 if {@code awaited} was among the resent}. */
    private long[] resendUnreceipted(final long awaited)
    {
        long unanswered = 0;
        final ArrayList<Publisher> all = new ArrayList<>(publishers.values());
        for (final Publisher publisher : all)
        {
            unanswered += publisher.forgetUnanswered();
        }
        final long[] counts = new long[3];
        final java.util.Set<Producer> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (final Publisher publisher : all)
        {
            final Producer producer = publisher.producer();
            if (null == producer || !done.add(producer))
            {
                continue;
            }
            producer.forEachUnreceipted((publish) ->
            {
                final Publisher owner = publishers.get(CorrelationIds.ownerOf(publish.correlationId));
                final boolean sentHere = null != owner && owner.producer() == producer &&
                    owner.queue().equals(publish.queue);
                if (sentHere && publish.correlationId == awaited)
                {
                    counts[2] = 1;
                }
                (sentHere ? owner : publisher(publish.queue)).resendAfterReconnect(producer, publish, sentHere);
                counts[0]++;
            });
        }
        counts[1] = Math.max(0, unanswered - counts[0]);
        return counts;
    }

    /** A publisher to one queue, for blocking {@link Publisher#publishAndWait} use. */
    public Publisher publisher(final String queue)
    {
        return publisher(queue, null);
    }

    /** A publisher to one queue whose receipts (and refusals) go to the listener during {@link #poll()}. */
    public Publisher publisher(final String queue, final ReceiptListener listener)
    {
        ensureOpen();
        final int id = publishers.size() + 1;
        final Publisher publisher = new Publisher(this, new CorrelationIds(id, random), queue, listener);
        publishers.put(id, publisher);
        return publisher;
    }

    /** Sends requests to a queue; their replies come back to this client's session. */
    public Requester requester(final String queue)
    {
        return requester(queue, "");
    }

    /**
     * Sends requests to a queue whose replies go onto {@code replyQueue} (durable replies: consume it to read them;
     * each carries its request's id, {@link Delivery#requestId()}), or, for an empty name, to this client's session.
     */
    public Requester requester(final String queue, final String replyQueue)
    {
        ensureOpen();
        if (!replyQueue.isEmpty() && !Names.isValid(replyQueue))
        {
            throw new RingmqException(ErrorCode.INVALID_NAME, "reply queue '" + replyQueue + "' is invalid: " +
                Names.RULE);
        }
        final Requester[] created = new Requester[1];
        final Publisher publisher = publisher(queue, new ReceiptListener()
        {
            public void onReceipt(final long correlationId, final long sequence)
            {
                // The request is stored; its reply is what the requester waits for.
            }

            public void onError(final long correlationId, final ErrorCode code, final String message)
            {
                if (!created[0].onRefused(correlationId, code, message))
                {
                    ctx.errorHandler().accept(new RingmqException(code, message));
                }
            }
        });
        final Requester requester = new Requester(this, publisher, replyQueue);
        created[0] = requester;
        requesters.put(publishers.size(), requester);
        requesterList.add(requester);
        return requester;
    }

    /**
     * Answers requests on a queue in a group (repliers compete like consumers): the handler gets each request and
     * answers it with {@link Delivery#reply}, which acks it. The queue must exist (a replier on a misspelled queue
     * would wait for requests no one sends): declare it first, or use {@link #replier(String, String, boolean,
     * MessageHandler)} to create it.
     *
     * @throws RingmqException with {@code UNKNOWN_QUEUE} if the queue does not exist; nothing is created.
     */
    public QueueConsumer replier(final String queue, final String group, final MessageHandler handler)
    {
        return replier(queue, group, false, handler);
    }

    /**
     * Answers requests as {@link #replier(String, String, MessageHandler)} does, creating the queue when
     * {@code createQueue} is true (a replier that starts before any requester, like an RPC server declaring its queue).
     *
     * @throws RingmqException with {@code UNKNOWN_QUEUE} if {@code createQueue} is false and the queue does not exist.
     */
    public QueueConsumer replier(
        final String queue, final String group, final boolean createQueue, final MessageHandler handler)
    {
        return consumer(queue, group, DEFAULT_PREFETCH, 0, createQueue, handler);
    }

    /** Attaches a consumer with the default prefetch ({@value #DEFAULT_PREFETCH}). */
    public QueueConsumer consumer(final String queue, final String group, final MessageHandler handler)
    {
        return consumer(queue, group, DEFAULT_PREFETCH, handler);
    }

    /**
     * Attaches a consumer to a group of a queue, created if it does not exist; blocks until the daemon confirms.
     * {@code queue} may be a pattern ({@code orders.*}, {@code orders.>}): then the group on every matching queue,
     * existing or created later, delivers to the handler, each {@link Delivery#queue()} naming its queue (see
     * {@link QueueConsumer}); a pattern creates no queue.
     *
     * @param prefetch most deliveries in flight to this consumer at once.
     */
    public QueueConsumer consumer(
        final String queue, final String group, final int prefetch, final MessageHandler handler)
    {
        return consumer(queue, group, prefetch, 0, handler);
    }

    /**
     * Attaches a consumer with its own visibility timeout; blocks until the daemon confirms.
     *
     * @param prefetch            most deliveries in flight to this consumer at once; 0 for none until the consumer
     *                            grants credits ({@link QueueConsumer#grant}).
     * @param visibilityTimeoutMs how long a delivery may stay unacked before it goes to another attempt; 0 takes
     *                            the queue's default.
     */
    public QueueConsumer consumer(
        final String queue,
        final String group,
        final int prefetch,
        final long visibilityTimeoutMs,
        final MessageHandler handler)
    {
        return consumer(queue, group, prefetch, visibilityTimeoutMs, true, handler);
    }

    /**
     * Attaches a consumer, saying whether a queue that does not exist is created for it (as the other
     * {@code consumer} methods do) or refused; blocks until the daemon confirms.
     *
     * @param createQueue false: a queue that does not exist is not created, and the call throws.
     * @throws RingmqException with {@code UNKNOWN_QUEUE} if {@code createQueue} is false and the queue does not
     *                          exist.
     * @see #consumer(String, String, int, long, MessageHandler)
     */
    public QueueConsumer consumer(
        final String queue,
        final String group,
        final int prefetch,
        final long visibilityTimeoutMs,
        final boolean createQueue,
        final MessageHandler handler)
    {
        ensureCanBlock("subscribe to " + queue + "/" + group);
        final long correlationId = controlCorrelations.next();
        beginRequest(correlationId);
        pendingConsumer = new PendingConsumer(queue, group, prefetch, visibilityTimeoutMs, createQueue, handler);
        try
        {
            sender.subscribe(correlationId, queue, group, prefetch, visibilityTimeoutMs, createQueue);
            final long consumerId = awaitResponse("subscribe to " + queue + "/" + group, ctx.responseTimeoutNs());
            return consumers.get(consumerId);
        }
        finally
        {
            pendingConsumer = null;
        }
    }

    /**
     * Creates a queue with these settings, or checks that the existing queue has them; blocks until the daemon
     * answers. Settings left unset come from the daemon's queue rules and defaults.
     *
     * @return true if this call created the queue, false if it existed with the same settings.
     * @throws RingmqException with {@code SETTINGS_CONFLICT} if the queue exists with other settings.
     */
    public boolean declareQueue(final String queue, final QueueOptions options)
    {
        ensureCanBlock("declare " + queue);
        final long correlationId = controlCorrelations.next();
        beginRequest(correlationId);
        sender.declareQueue(correlationId, queue, options);
        return awaitResponse("declare " + queue, ctx.responseTimeoutNs()) == 1;
    }

    /**
     * Creates a consumer group with these settings (it starts at the oldest message the queue holds, as a first
     * subscribe would), or checks that the existing group has them; blocks until the daemon answers.
     *
     * @return true if this call created the group, false if it existed with the same settings.
     * @throws RingmqException with {@code SETTINGS_CONFLICT} if the group exists with other settings;
     *                          {@code INVALID_ARGUMENT} if its dead-letter queue is the queue itself or leads back
     *                          to it (a dead-letter cycle, in which a failing message would be copied without end).
     */
    public boolean declareGroup(final String queue, final String group, final GroupOptions options)
    {
        ensureCanBlock("declare " + queue + "/" + group);
        final long correlationId = controlCorrelations.next();
        beginRequest(correlationId);
        sender.declareGroup(correlationId, queue, group, options);
        return awaitResponse("declare " + queue + "/" + group, ctx.responseTimeoutNs()) == 1;
    }

    /**
     * Moves a consumer group to a place in its queue (journaled, like every change): its deliveries in flight end
     * (their acks are refused as stale) and every message the queue holds for it from there on is delivered again,
     * kept consumed ones included; blocks until the daemon answers.
     *
     * @return the messages the group now has to deliver.
     * @throws RingmqException with UNKNOWN_QUEUE or UNKNOWN_GROUP.
     */
    public long seek(final String queue, final String group, final SeekTarget to)
    {
        ensureCanBlock("seek " + queue + "/" + group);
        final long correlationId = controlCorrelations.next();
        beginRequest(correlationId);
        sender.seek(correlationId, queue, group, to);
        return awaitResponse("seek " + queue + "/" + group, ctx.responseTimeoutNs());
    }

    /**
     * Shows the messages a queue holds, oldest first, without consuming them; blocks until all have arrived.
     *
     * @param group only dead letters given up on by this group ({@code ""} = all).
     * @param count most messages to show; 0 = all.
     * @return the number of messages shown.
     */
    public long browse(
        final String queue, final String group, final long count, final Consumer<BrowsedMessage> handler)
    {
        browseHandler = handler;
        try
        {
            return admin(AdminAction.BROWSE, queue, group, count);
        }
        finally
        {
            browseHandler = null;
        }
    }

    /**
     * Moves dead letters of {@code <queue>.dlq} that are not in flight back to the queues they came from, oldest
     * first, as new messages for the group that dead-lettered each: only that group gets the message again.
     *
     * @param deadLetterQueue the dead-letter queue, e.g. {@code orders.dlq}.
     * @param group           only letters given up on by this group ({@code ""} = all).
     * @param count           most letters to move; 0 = all.
     * @return the number moved.
     */
    public long redrive(final String deadLetterQueue, final String group, final long count)
    {
        return admin(AdminAction.REDRIVE, deadLetterQueue, group, count);
    }

    /**
     * Drops every message the queue holds, including deliveries in flight (their acks become stale).
     *
     * @return the number dropped.
     */
    public long purge(final String queue)
    {
        return admin(AdminAction.PURGE, queue, "", 0);
    }

    /**
     * What a queue holds and what its limits did since the daemon's state began; blocks until the daemon answers.
     *
     * @throws RingmqException with UNKNOWN_QUEUE if there is no such queue.
     */
    public QueueStats stats(final String queue)
    {
        receivedStats = null;
        admin(AdminAction.STATS, queue, "", 0);
        final QueueStats stats = receivedStats;
        receivedStats = null;
        return stats;
    }

    /**
     * Lists the queues (dead-letter queues included) whose names match {@code pattern}, in creation order; blocks
     * until all have arrived. A query: the daemon answers it in order with every other command but never journals
     * it, since it changes nothing.
     *
     * @param pattern {@code *} matches any run of characters, {@code ?} one; {@code ""} lists every queue.
     */
    public List<QueueListing> queues(final String pattern)
    {
        final ArrayList<QueueListing> listed = new ArrayList<>();
        queueListingHandler = listed::add;
        try
        {
            query(QueryKind.QUEUES, pattern, 0);
        }
        finally
        {
            queueListingHandler = null;
        }
        return listed;
    }

    /**
     * Lists a queue's consumer groups (a query, like {@link #queues}).
     *
     * @throws RingmqException with UNKNOWN_QUEUE if there is no such queue.
     */
    public List<GroupListing> groups(final String queue)
    {
        final ArrayList<GroupListing> listed = new ArrayList<>();
        groupListingHandler = listed::add;
        try
        {
            query(QueryKind.GROUPS, queue, 0);
        }
        finally
        {
            groupListingHandler = null;
        }
        return listed;
    }

    /**
     * Shows the messages a queue holds, oldest first, without consuming them (a query, like {@link #queues}: unlike
     * {@link #browse} it is never journaled).
     *
     * @param count most messages to show; 0 = all.
     * @return the number of messages shown.
     * @throws RingmqException with UNKNOWN_QUEUE if there is no such queue.
     */
    public long peek(final String queue, final long count, final Consumer<BrowsedMessage> handler)
    {
        browseHandler = handler;
        try
        {
            return query(QueryKind.PEEK, queue, count);
        }
        finally
        {
            browseHandler = null;
        }
    }

    private long query(final QueryKind kind, final String name, final long count)
    {
        final String what = kind.name().toLowerCase() + " " + name;
        ensureCanBlock(what);
        final long correlationId = controlCorrelations.next();
        beginRequest(correlationId);
        sender.query(correlationId, kind, name, count);
        return awaitResponse(what, ctx.responseTimeoutNs());
    }

    /**
     * Deletes a queue: its messages (in flight or not), its groups and their consumers; its dead-letter queue stays.
     * A later publish or subscribe to the name makes a new, empty queue.
     *
     * @param force even with consumers attached: they are detached (their acks become UNKNOWN_CONSUMER).
     * @return the number of messages dropped.
     * @throws RingmqException with UNKNOWN_QUEUE, or HAS_CONSUMERS if consumers are attached and not forced.
     */
    public long deleteQueue(final String queue, final boolean force)
    {
        return admin(AdminAction.DELETE_QUEUE, queue, "", 0, force);
    }

    /**
     * Deletes one consumer group: what it had still to settle no longer keeps messages in the queue.
     *
     * @param force even with consumers attached: they are detached.
     * @return the number of messages that left the queue (no other group needed them).
     * @throws RingmqException with UNKNOWN_QUEUE, UNKNOWN_GROUP, or HAS_CONSUMERS if consumers are attached and not
     *                         forced.
     */
    public long deleteGroup(final String queue, final String group, final boolean force)
    {
        return admin(AdminAction.DELETE_GROUP, queue, group, 0, force);
    }

    private long admin(final AdminAction action, final String queue, final String group, final long count)
    {
        return admin(action, queue, group, count, false);
    }

    private long admin(
        final AdminAction action, final String queue, final String group, final long count, final boolean force)
    {
        ensureCanBlock(action.name().toLowerCase() + " " + queue);
        final long correlationId = controlCorrelations.next();
        beginRequest(correlationId);
        sender.queueAdmin(correlationId, action, queue, group, count, force);
        return awaitResponse(action.name().toLowerCase() + " " + queue, ctx.responseTimeoutNs());
    }

    /**
     * Takes what the daemon has sent: calls receipt listeners and message handlers, then sends the acks they made
     * (each consumer's together) and any frame they made that the ingress could not take at once.
     *
     * @return the number of fragments processed (0 means there was nothing to do).
     */
    public int poll()
    {
        ensurePollerThread();
        if (null != gaveUp)
        {
            throw new RingmqException(gaveUp);
        }
        if (polling)
        {
            // Called again from inside a handler (e.g. an ack that met back-pressure): the image's position has not
            // moved yet, so polling it now would hand the same deliveries out a second time.
            return 0;
        }
        polling = true;
        final int fragments;
        try
        {
            fragments = link.egress.poll(egressAssembler, FRAGMENT_LIMIT);
        }
        finally
        {
            // Still inside the poll: the acks go like any frame a handler makes, in order, never blocking here.
            try
            {
                sendPendingAcks();
            }
            catch (final RingmqException ex)
            {
                dropUnsentIfLost(ex);
            }
            polling = false;
        }
        try
        {
            sender.sendDeferred();
        }
        catch (final RingmqException ex)
        {
            dropUnsentIfLost(ex);
        }
        if (0 == fragments && following && !pollingForSender && link.isLost())
        {
            reconnect(link.lostReason()); // only when idle: while frames arrive the node is there
        }
        else if (0 == fragments && ctx.nodes().isEmpty() && !closed && link.daemonGone())
        {
            lostTheDaemon(link.lostReason());
        }
        if (!requesterList.isEmpty())
        {
            final long nowNs = nowNs();
            for (int i = 0, size = requesterList.size(); i < size; i++)
            {
                requesterList.get(i).expire(nowNs);
            }
        }
        return fragments;
    }

    /**
     * A client of one daemon whose daemon is gone (its media driver stopped answering, so Aeron closed this client's
     * conductor, or its ingress is no longer connected) has nothing left to wait for: it closes, and this and every
     * later poll say why, so that a loop waiting for messages ends instead of waiting out its own timeout.
     */
    private void lostTheDaemon(final String reason)
    {
        gaveUp = "lost the ringmq daemon: " + reason + "; this client is closed: connect again once the daemon runs";
        close(false);
        throw new RingmqException(gaveUp);
    }

    long nowNs()
    {
        return ctx.clock().nanoTime();
    }

    void idle()
    {
        idleStrategy.idle();
    }

    /**
     * Acks and handler frames that could not go because the node is lost belong to its session: a following client
     * drops them (the deliveries they settle come again) and reconnects; any other failure is the caller's.
     */
    private void dropUnsentIfLost(final RingmqException ex)
    {
        if (!following || !link.isLost())
        {
            throw ex;
        }
        for (int i = 0; i < consumersWithPendingAcks.size(); i++)
        {
            consumersWithPendingAcks.get(i).dropPendingAcks();
        }
        consumersWithPendingAcks.clear();
        sender.dropDeferred();
    }

    private void sendPendingAcks()
    {
        // By index: a blocking send (close) polls, and that poll may add consumers, or send and clear them all.
        for (int i = 0; i < consumersWithPendingAcks.size(); i++)
        {
            consumersWithPendingAcks.get(i).sendPendingAcks();
        }
        consumersWithPendingAcks.clear();
    }

    public long sessionId()
    {
        return sessionId;
    }

    /** Largest frame the daemon accepts ({@code ringmq.max.message.bytes}). */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * Largest payload a publish may carry; a larger one fails with {@code MESSAGE_TOO_LARGE} before it is sent. Smaller
     * than {@link #maxMessageLength()} by the most a frame the message travels in adds to it: a dead letter browsed
     * with its queue and group names.
     */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /** Most header bytes a publish may carry (the daemon's ringmq.max.header.bytes). */
    public int maxHeaderLength()
    {
        return maxHeaderLength;
    }

    /**
     * The producer id the daemon issued this session, for an idempotent {@link Producer} whose application chooses
     * none: it stays valid for the producer after a reconnect (0 from a daemon too old to issue one).
     */
    public long issuedProducerId()
    {
        return issuedProducerId;
    }

    public ClientContext context()
    {
        return ctx;
    }

    /**
     * Starts a thread that polls this client, for an application that does not want to own a poll loop: see
     * {@link ClientPoller}. From then on only that thread may use the client; other threads hand it work through the
     * poller. Closing the poller gives the client back to the application's threads.
     *
     * @throws IllegalStateException if a poller already runs.
     */
    public ClientPoller startPoller()
    {
        ensureOpen();
        if (null != poller)
        {
            throw new IllegalStateException("this client already has a poller");
        }
        poller = new ClientPoller(this, ctx.pollerIdleStrategy());
        return poller.start("ringmq-client-poller-" + sessionId);
    }

    public boolean isClosed()
    {
        return closed;
    }

    /** Disconnects: the daemon makes this client's unacked deliveries visible to other consumers at once. */
    public void close()
    {
        close(true);
    }

    /**
     * Disconnects but leaves this client's unacked deliveries in flight: they go to other consumers only when their
     * visibility timeouts pass, as if this client were still working on them.
     */
    public void closeLeavingInFlight()
    {
        close(false);
    }

    private void close(final boolean releaseInFlight)
    {
        if (closed)
        {
            return;
        }
        final ClientPoller running = poller;
        if (null != running && Thread.currentThread() != pollerThread)
        {
            running.close(); // stop its thread first: from here on this thread is the client's only one
        }
        closed = true;
        try
        {
            if (link.ingress.isConnected())
            {
                sendPendingAcks();
                sender.sendDeferred();
                sender.disconnect(releaseInFlight);
            }
        }
        catch (final RingmqException ignore)
        {
            // The daemon is gone already; it will clean the session up when it restarts.
        }
        finally
        {
            CloseHelper.quietClose(link);
            if (ctx.ownsAeron())
            {
                CloseHelper.quietClose(ctx.aeron());
            }
        }
    }

    // ---- used by Publisher and QueueConsumer ----

    IngressSender sender()
    {
        ensureOpen();
        return sender;
    }

    long responseTimeoutNs()
    {
        return ctx.responseTimeoutNs();
    }

    /** Whether a poll is running: message handlers and receipt listeners are being called. */
    boolean isPolling()
    {
        return polling;
    }

    int ackBatchLimit()
    {
        return ackBatchLimit;
    }

    /** The consumer was closed: deliveries still on their way to it are dropped (the daemon gave them back). */
    void removeConsumer(final QueueConsumer consumer)
    {
        consumers.remove(consumer.consumerId());
    }

    /** The consumer made its first ack of this poll: its acks go when the poll returns. */
    void sendAcksAfterPoll(final QueueConsumer consumer)
    {
        consumersWithPendingAcks.add(consumer);
    }

    long awaitPublishReceipt(final long correlationId, final String what)
    {
        beginRequest(correlationId);
        return awaitResponse(what, ctx.responseTimeoutNs());
    }

    /** The epoch of the receipt {@link #awaitPublishReceipt} last returned (0: unknown, a daemon before version 10). */
    long awaitedReceiptEpoch()
    {
        return awaitedReceiptEpoch;
    }

    void beginRequest(final long correlationId)
    {
        awaitedCorrelationId = correlationId;
        responseArrived = false;
        responseErrorCode = null;
        responseErrorMessage = null;
    }

    // ---- EgressAdapter.Listener ----

    public void onConnected(
        final long correlationId,
        final long sessionId,
        final int maxMessageLength,
        final int maxPayloadLength,
        final int maxHeaderLength,
        final long issuedProducerId)
    {
        if (correlationId == awaitedCorrelationId)
        {
            this.maxMessageLength = maxMessageLength;
            this.maxPayloadLength = maxPayloadLength;
            this.maxHeaderLength = maxHeaderLength;
            this.issuedProducerId = issuedProducerId;
            respond(sessionId);
        }
    }

    public void onReceipt(final long correlationId, final long sequence, final long epoch)
    {
        if (correlationId == awaitedCorrelationId)
        {
            awaitedReceiptEpoch = epoch;
            respond(sequence);
        }
        final Publisher publisher = publishers.get(CorrelationIds.ownerOf(correlationId));
        if (null != publisher)
        {
            publisher.onReceipt(correlationId, sequence, epoch);
        }
    }

    public void onSubscribed(final long correlationId, final long consumerId)
    {
        if (correlationId != awaitedCorrelationId)
        {
            return;
        }
        // Register now, not when subscribe returns: deliveries may follow in the same poll.
        if (null != resubscribing)
        {
            resubscribing.rebind(consumerId);
            consumers.put(consumerId, resubscribing);
            respond(consumerId);
        }
        else if (null != pendingConsumer)
        {
            final PendingConsumer pending = pendingConsumer;
            consumers.put(consumerId, new QueueConsumer(this, consumerId, pending.queue, pending.group,
                pending.prefetch, pending.visibilityTimeoutMs, pending.createQueue, pending.handler));
            respond(consumerId);
        }
    }

    public void onAttached(
        final long correlationId, final long subscriptionId, final long consumerId, final String queue)
    {
        final QueueConsumer pattern = consumers.get(subscriptionId);
        if (null != pattern && pattern.isPattern() && !pattern.isClosed())
        {
            consumers.put(consumerId, pattern.attach(consumerId, queue));
        }
    }

    public void onDeliver(final DeliveredFrame frame)
    {
        final QueueConsumer consumer = consumers.get(frame.consumerId);
        if (null != consumer)
        {
            consumer.onDeliver(frame);
        }
    }

    public void onReplied(final long requestId, final DirectBuffer buffer, final int payloadOffset,
        final int payloadLength, final int headersOffset, final int headersLength)
    {
        final Requester requester = requesters.get(CorrelationIds.ownerOf(requestId));
        if (null != requester)
        {
            requester.onReplied(requestId, buffer, payloadOffset, payloadLength, headersOffset, headersLength);
        }
    }

    public void onError(final long correlationId, final ErrorCode code, final String message)
    {
        if (correlationId != 0 && correlationId == awaitedCorrelationId)
        {
            responseArrived = true;
            responseErrorCode = code;
            responseErrorMessage = message;
            return;
        }
        final Publisher publisher = 0 == correlationId ? null :
            publishers.get(CorrelationIds.ownerOf(correlationId));
        if (null != publisher && publisher.onError(correlationId, code, message))
        {
            return;
        }
        ctx.errorHandler().accept(new RingmqException(code, message));
    }

    public void onQueueStats(final long correlationId, final QueueStats stats)
    {
        if (correlationId == awaitedCorrelationId)
        {
            receivedStats = stats;
        }
    }

    public void onQueueListed(final long correlationId, final QueueListing queue)
    {
        if (correlationId == awaitedCorrelationId && null != queueListingHandler)
        {
            queueListingHandler.accept(queue);
        }
    }

    public void onGroupListed(final long correlationId, final GroupListing group)
    {
        if (correlationId == awaitedCorrelationId && null != groupListingHandler)
        {
            groupListingHandler.accept(group);
        }
    }

    public void onBrowsed(final long correlationId, final BrowsedMessage message)
    {
        if (correlationId == awaitedCorrelationId && null != browseHandler)
        {
            browseHandler.accept(message);
        }
    }

    public void onAdminDone(final long correlationId, final long count)
    {
        if (correlationId == awaitedCorrelationId)
        {
            respond(count);
        }
    }

    private void respond(final long value)
    {
        responseArrived = true;
        responseValue = value;
    }

    /**
     * Blocking calls poll while they wait; inside a handler the poll that called it is still running, so they are
     * refused there before they send anything or touch the state of the request being waited on outside.
     */
    void ensureCanBlock(final String what)
    {
        ensureOpen();
        if (polling)
        {
            throw new IllegalStateException("cannot wait for the daemon's answer to " + what + " inside a message " +
                "handler or receipt listener; use the asynchronous form there");
        }
    }

    /**
     * Polls until {@code done} says so or {@code timeoutNs} passes, idling as the blocking calls do.
     *
     * @return whether it was done in time.
     * @throws RingmqException if the daemon is lost meanwhile.
     */
    boolean pollUntil(final java.util.function.BooleanSupplier done, final long timeoutNs, final String what)
    {
        ensureCanBlock(what);
        final long deadlineNs = ctx.clock().nanoTime() + timeoutNs;
        idleStrategy.reset();
        while (!done.getAsBoolean())
        {
            if (0 == poll())
            {
                if (ctx.clock().nanoTime() - deadlineNs > 0)
                {
                    return false;
                }
                if (!following && !link.ingress.isConnected())
                {
                    throw new RingmqException("lost the ringmq daemon while waiting for " + what);
                }
                idleStrategy.idle();
            }
        }
        return true;
    }

    private long awaitResponse(final String what, final long timeoutNs)
    {
        long deadlineNs = ctx.clock().nanoTime() + timeoutNs;
        idleStrategy.reset();
        while (!responseArrived)
        {
            final int fragments = poll();
            if (null != awaitedLostBy)
            {
                final String lostBy = awaitedLostBy;
                awaitedLostBy = null;
                awaitedCorrelationId = Long.MIN_VALUE;
                throw new RingmqException("no answer to " + what + ": " + lostBy);
            }
            if (0 == fragments)
            {
                if (ctx.clock().nanoTime() - deadlineNs > 0)
                {
                    if (following)
                    {
                        // A node that answers nothing is as good as lost: look for the primary, then wait afresh.
                        reconnect("no answer to " + what + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) +
                            " ms");
                        deadlineNs = ctx.clock().nanoTime() + timeoutNs;
                        continue;
                    }
                    awaitedCorrelationId = Long.MIN_VALUE;
                    throw new RingmqException("no answer from the ringmq daemon to " + what + " within " +
                        TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
                }
                if (!following && !link.ingress.isConnected())
                {
                    throw new RingmqException("lost the ringmq daemon while waiting for " + what);
                }
                idleStrategy.idle();
            }
        }
        awaitedCorrelationId = Long.MIN_VALUE;
        if (null != responseErrorCode)
        {
            throw new RingmqException(responseErrorCode, responseErrorMessage);
        }
        return responseValue;
    }

    /** The sender polls while the ingress is back-pressured: responses are taken, but a lost node waits. */
    private void pollForSender()
    {
        final boolean outer = pollingForSender;
        pollingForSender = true;
        try
        {
            poll();
        }
        finally
        {
            pollingForSender = outer;
        }
    }

    /** Whether this client follows the primary and its node is lost now: a publish that failed will be resent. */
    boolean followsLostNode()
    {
        return following && link.isLost();
    }

    private record PendingConsumer(
        String queue, String group, int prefetch, long visibilityTimeoutMs, boolean createQueue, MessageHandler handler)
    {
    }

    private void ensureOpen()
    {
        if (null != gaveUp)
        {
            throw new RingmqException(gaveUp);
        }
        if (closed)
        {
            throw new IllegalStateException("client is closed");
        }
        ensurePollerThread();
    }

    private void ensurePollerThread()
    {
        final Thread owner = pollerThread;
        if (null != owner && Thread.currentThread() != owner)
        {
            throw new IllegalStateException("this client is polled by its ClientPoller thread: hand it the work " +
                "with poller.execute, submit or call, or close the poller first");
        }
    }

    // ---- used by ClientPoller ----

    void pollerStarted(final Thread thread)
    {
        pollerThread = thread;
    }

    void pollerStopped()
    {
        pollerThread = null;
        poller = null;
    }
}
