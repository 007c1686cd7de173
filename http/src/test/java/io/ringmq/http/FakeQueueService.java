package io.ringmq.http;

import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.GroupListing;
import io.ringmq.client.OutgoingMessage;
import io.ringmq.client.QueueListing;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.QueueStats;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * An in-memory {@link QueueService}: records every call (with the thread it came on) and answers each with the next
 * future queued for its method, or a default (completed) answer. A test can queue a future it completes later, from
 * any thread, or a failed one. Thread-safe: called on the server's event loops, read by the test.
 */
final class FakeQueueService implements QueueService
{
    /** One call: the method's name, its arguments in order, the calling thread's name. */
    record Call(String method, List<Object> args, String thread)
    {
        Object arg(final int index)
        {
            return args.get(index);
        }
    }

    private static final long WAIT_S = 10;

    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final Map<String, Deque<CompletableFuture<?>>> answers = new HashMap<>();
    private volatile boolean connected = true;
    private volatile RuntimeException thrown;

    /** The next call of {@code method} gets this future; returns it, for the test to complete. */
    <T> CompletableFuture<T> answer(final String method, final CompletableFuture<T> future)
    {
        synchronized (answers)
        {
            answers.computeIfAbsent(method, (name) -> new ArrayDeque<>()).addLast(future);
        }
        return future;
    }

    <T> void answerWith(final String method, final T value)
    {
        answer(method, CompletableFuture.completedFuture(value));
    }

    void failWith(final String method, final Throwable failure)
    {
        answer(method, CompletableFuture.failedFuture(failure));
    }

    /** The next call of any method throws this instead of returning a future. */
    void throwOnNextCall(final RuntimeException failure)
    {
        thrown = failure;
    }

    void connected(final boolean connected)
    {
        this.connected = connected;
    }

    /** The next call made, waiting for it up to a deadline; fails if it is not of {@code method}. */
    Call next(final String method)
    {
        final Call call;
        try
        {
            call = calls.poll(WAIT_S, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
        assertNotNull(call, "no call of " + method + " within " + WAIT_S + " s");
        assertEquals(method, call.method(), "the call made");
        return call;
    }

    /** How many calls were made and not yet taken with {@link #next}. */
    int untaken()
    {
        return calls.size();
    }

    public CompletableFuture<Long> send(final String queue, final byte[] body, final OutgoingMessage message)
    {
        return call("send", 1L, queue, body, message);
    }

    public CompletableFuture<List<ReceivedMessage>> receive(final String queue, final ReceiveRequest request)
    {
        return call("receive", List.of(), queue, request);
    }

    public CompletableFuture<Void> delete(final String queue, final String receiptHandle)
    {
        return call("delete", null, queue, receiptHandle);
    }

    public CompletableFuture<Void> changeVisibility(final String queue, final String receiptHandle, final long timeoutMs)
    {
        return call("changeVisibility", null, queue, receiptHandle, timeoutMs);
    }

    public CompletableFuture<Void> reject(final String queue, final String receiptHandle)
    {
        return call("reject", null, queue, receiptHandle);
    }

    public CompletableFuture<Boolean> declareQueue(final String queue, final QueueOptions options)
    {
        return call("declareQueue", Boolean.TRUE, queue, options);
    }

    public CompletableFuture<List<QueueListing>> queues(final String pattern)
    {
        return call("queues", List.of(), pattern);
    }

    public CompletableFuture<List<GroupListing>> groups(final String queue)
    {
        return call("groups", List.of(), queue);
    }

    public CompletableFuture<QueueStats> stats(final String queue)
    {
        return call("stats", new QueueStats(0, 0, 0, 0, 0, 0, 0, 0, 0), queue);
    }

    public CompletableFuture<Long> purge(final String queue)
    {
        return call("purge", 0L, queue);
    }

    public CompletableFuture<Long> deleteQueue(final String queue, final boolean force)
    {
        return call("deleteQueue", 0L, queue, force);
    }

    public CompletableFuture<Long> deleteGroup(final String queue, final String group, final boolean force)
    {
        return call("deleteGroup", 0L, queue, group, force);
    }

    public CompletableFuture<List<BrowsedMessage>> deadLetters(final String queue, final String group, final long max)
    {
        return call("deadLetters", List.of(), queue, group, max);
    }

    public CompletableFuture<Long> redrive(final String queue, final String group, final long count)
    {
        return call("redrive", 0L, queue, group, count);
    }

    public boolean connected()
    {
        return connected;
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> call(final String method, final T byDefault, final Object... args)
    {
        calls.add(new Call(method, Arrays.asList(args), Thread.currentThread().getName()));
        final RuntimeException toThrow = thrown;
        if (null != toThrow)
        {
            thrown = null;
            throw toThrow;
        }
        final CompletableFuture<?> answer;
        synchronized (answers)
        {
            final Deque<CompletableFuture<?>> queued = answers.get(method);
            answer = null == queued ? null : queued.pollFirst();
        }
        return null != answer ? (CompletableFuture<T>)answer : CompletableFuture.completedFuture(byDefault);
    }
}
