package io.ringmq.daemon.replication;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.NodeAdminAction;
import io.ringmq.transport.NodeStatus;
import io.ringmq.transport.server.NodeAnswers;
import io.ringmq.transport.server.NodeRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Answers node requests on a thread of its own ({@code ringmq-node-admin}): the ingress hands them over and goes on,
 * and here they may wait (the state between ring batches, a promotion draining the ring). At most {@value #MAX_WAITING}
 * wait; more are refused to the ingress, which counts them. An answer never waits for its requester here: it is sent,
 * or kept by {@link NodeAnswers} and offered again between requests, so a requester that has gone does not hold up
 * the requests behind it.
 * <p>
 * Thread-safe: {@link NodeRequests} is called on the ingress thread, the rest on this one.
 */
public final class NodeAdminResponder implements NodeRequests, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(NodeAdminResponder.class);
    static final int MAX_WAITING = 16;
    private static final long POLL_MS = 100;
    /** How often answers that wait for their requesters are offered again. */
    private static final long RETRY_MS = 1;
    /** Queued by {@link #close()}: the thread polling for a request sees it stop at once, not at its poll's end. */
    private static final Runnable WAKE_UP = () -> {};

    /** What the node says about itself and does when asked. */
    public interface Node
    {
        /** @return the node's status, or null if its state could not be read in time. */
        NodeStatus status() throws InterruptedException;

        /** @return null once promoted, else why not (for the operator). */
        String promote(boolean force);

        /** @return null once this primary has handed over to its standby and follows it, else why not. */
        String switchover();

        /** The primary's endpoint as this node knows it, named to clients refused here. */
        String primaryEndpoint();
    }

    private final Node node;
    private final NodeAnswers answers;
    private final BlockingQueue<Runnable> waiting = new ArrayBlockingQueue<>(MAX_WAITING);
    private final Thread thread;
    private volatile boolean running = true;

    public NodeAdminResponder(final Node node, final NodeAnswers answers)
    {
        this.node = node;
        this.answers = answers;
        this.thread = new Thread(this::run, "ringmq-node-admin");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public boolean onNodeAdmin(
        final long correlationId,
        final NodeAdminAction action,
        final boolean force,
        final String answerChannel,
        final int responseStreamId)
    {
        return waiting.offer(() -> answer(correlationId, action, force, answerChannel, responseStreamId));
    }

    public boolean onConnectToStandby(final long correlationId, final String answerChannel, final int responseStreamId)
    {
        return waiting.offer(() -> answers.error(answerChannel, responseStreamId, correlationId, ErrorCode.NOT_PRIMARY,
            "this node is the standby of a pair and takes no clients: connect to the primary at " +
            node.primaryEndpoint()));
    }

    private void answer(
        final long correlationId,
        final NodeAdminAction action,
        final boolean force,
        final String answerChannel,
        final int responseStreamId)
    {
        try
        {
            final String refusal = NodeAdminAction.PROMOTE == action ? node.promote(force) :
                NodeAdminAction.SWITCHOVER == action ? node.switchover() : null;
            if (null != refusal)
            {
                // The request does not fit the node as it is (a primary; a standby not caught up): a refused argument.
                answers.error(answerChannel, responseStreamId, correlationId, ErrorCode.INVALID_ARGUMENT, refusal);
                return;
            }
            final NodeStatus status = node.status();
            if (null == status)
            {
                answers.error(answerChannel, responseStreamId, correlationId, ErrorCode.GENERIC_ERROR,
                    "the state could not be read: the ring has not finished a batch in time (see the daemon's log)");
                return;
            }
            answers.status(answerChannel, responseStreamId, correlationId, status);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void run()
    {
        try
        {
            while (running)
            {
                answerNext();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            answers.close();
        }
    }

    /**
     * Offers the answers that wait for their requesters, then takes the next request if one more answer may wait,
     * polling briefly while answers wait (they are offered again at each turn).
     */
    private void answerNext() throws InterruptedException
    {
        try
        {
            answers.sendPending();
            if (!answers.hasRoom())
            {
                Thread.sleep(RETRY_MS);
                return;
            }
            final Runnable request = waiting.poll(answers.hasPending() ? RETRY_MS : POLL_MS, TimeUnit.MILLISECONDS);
            if (null != request)
            {
                request.run();
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.error("a node request failed", ex);
        }
    }

    /** Stops taking requests; waits for the one being answered (a promotion, say) to finish. */
    public void close()
    {
        running = false;
        waiting.offer(WAKE_UP); // a full queue needs none: the thread is not waiting for a request then
        if (Thread.currentThread() != thread)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
