package io.ringmq.client;

import io.ringmq.codecs.ErrorCode;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Sends requests to one queue and takes their replies. A request is a message on the queue (so repliers compete in a
 * group, and a request is delivered at least once like any message) that carries where its reply goes: this client's
 * own session by default, or a named queue for durable replies ({@link RingmqClient#requester(String, String)}).
 * <p>
 * {@link #request} is asynchronous: the reply, a refusal or, when no reply came within the timeout,
 * {@code REQUEST_TIMEOUT}, reaches the handler during a later {@link RingmqClient#poll()}; a reply that comes after its
 * request timed out is discarded and counted ({@link #lateReplies()}). Pending requests are pooled: steady state
 * allocates nothing per request. {@link #requestAndWait} blocks. Owned by the client's thread.
 */
public final class Requester
{
    private final RingmqClient client;
    private final Publisher publisher;
    private final UnsafeBuffer replyTo;
    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
    private final ArrayList<Pending> pool = new ArrayList<>();
    private final UnsafeBuffer wrapBuffer = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer lastReply = new ExpandableArrayBuffer(256);
    private final MessageHeaders headers = new MessageHeaders();
    private final Waiter waiter = new Waiter();
    private long earliestDeadlineNs = Long.MAX_VALUE;
    private long lateReplies;

    private static final class Pending
    {
        ReplyHandler handler;
        long deadlineNs;
    }

    /** Takes the outcome of the one {@link #requestAndWait} under way. */
    private final class Waiter implements ReplyHandler
    {
        boolean done;
        int length;
        ErrorCode code;
        String message;

        public void onReply(
            final long requestId, final DirectBuffer buffer, final int offset, final int length,
            final MessageHeaders headers)
        {
            lastReply.putBytes(0, buffer, offset, length);
            this.length = length;
            done = true;
        }

        public void onError(final long requestId, final ErrorCode code, final String message)
        {
            this.code = code;
            this.message = message;
            done = true;
        }
    }

    Requester(final RingmqClient client, final Publisher publisher, final String replyTo)
    {
        this.client = client;
        this.publisher = publisher;
        this.replyTo = new UnsafeBuffer(replyTo.getBytes(StandardCharsets.US_ASCII));
    }

    public String queue()
    {
        return publisher.queue();
    }

    /**
     * Sends a request; its reply (or error) arrives at the handler during a later poll. A requester whose replies go
     * onto a reply queue tells the handler nothing (a refusal goes to the client's error handler): read the replies
     * from that queue, each with its request's id.
     *
     * @param message headers and id of the request, or null.
     * @return the request's id, which the handler is told.
     */
    public long request(
        final DirectBuffer payload,
        final int offset,
        final int length,
        final OutgoingMessage message,
        final long timeoutMs,
        final ReplyHandler handler)
    {
        final long requestId = publisher.request(payload, offset, length, message, replyTo);
        if (0 != replyTo.capacity())
        {
            return requestId; // its reply goes onto the reply queue: nothing to wait for here
        }
        final Pending request = pool.isEmpty() ? new Pending() : pool.remove(pool.size() - 1);
        request.handler = handler;
        request.deadlineNs = client.nowNs() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        earliestDeadlineNs = Math.min(earliestDeadlineNs, request.deadlineNs);
        pending.put(requestId, request);
        return requestId;
    }

    public long request(final DirectBuffer payload, final int offset, final int length, final long timeoutMs,
        final ReplyHandler handler)
    {
        return request(payload, offset, length, null, timeoutMs, handler);
    }

    /**
     * Sends a request and waits for its reply.
     *
     * @return the reply's length; its bytes are in {@link #lastReply()} until the next request.
     * @throws RingmqException {@code REQUEST_TIMEOUT} if no reply came in time, or the daemon's refusal.
     */
    public int requestAndWait(
        final DirectBuffer payload, final int offset, final int length, final OutgoingMessage message,
        final long timeoutMs)
    {
        client.ensureCanBlock("request to " + queue());
        if (0 != replyTo.capacity())
        {
            throw new IllegalStateException("the replies of this requester go onto queue '" +
                replyTo.getStringWithoutLengthAscii(0, replyTo.capacity()) + "': consume it to read them");
        }
        waiter.done = false;
        waiter.code = null;
        request(payload, offset, length, message, timeoutMs, waiter);
        while (!waiter.done)
        {
            if (0 == client.poll())
            {
                client.idle();
            }
        }
        if (null != waiter.code)
        {
            throw new RingmqException(waiter.code, waiter.message);
        }
        return waiter.length;
    }

    /** Sends a text request and waits for its reply, as text (allocates: for tools). */
    public String requestAndWait(final String payload, final OutgoingMessage message, final long timeoutMs)
    {
        final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        wrapBuffer.wrap(bytes);
        final int length = requestAndWait(wrapBuffer, 0, bytes.length, message, timeoutMs);
        return lastReply.getStringWithoutLengthUtf8(0, length);
    }

    /** The last reply {@link #requestAndWait} returned the length of. */
    public DirectBuffer lastReply()
    {
        return lastReply;
    }

    /** Replies that came after their request had timed out (or for no request of this requester): discarded. */
    public long lateReplies()
    {
        return lateReplies;
    }

    /** Requests waiting for their reply. */
    public int pendingCount()
    {
        return pending.size();
    }

    void onReplied(final long requestId, final DirectBuffer buffer, final int payloadOffset, final int payloadLength,
        final int headersOffset, final int headersLength)
    {
        final Pending request = pending.remove(requestId);
        if (null == request)
        {
            lateReplies++;
            return;
        }
        final ReplyHandler handler = release(request);
        handler.onReply(requestId, buffer, payloadOffset, payloadLength,
            headers.wrap(buffer, headersOffset, headersLength));
    }

    /**
     * The request's publish was refused: so is the request.
     *
     * @return false if no request waits for it (one whose replies go onto a reply queue).
     */
    boolean onRefused(final long requestId, final ErrorCode code, final String message)
    {
        final Pending request = pending.remove(requestId);
        if (null == request)
        {
            return false;
        }
        release(request).onError(requestId, code, message);
        return true;
    }

    /** Fails the requests whose time has come with REQUEST_TIMEOUT. */
    void expire(final long nowNs)
    {
        if (nowNs < earliestDeadlineNs)
        {
            return;
        }
        earliestDeadlineNs = Long.MAX_VALUE;
        final Long2ObjectHashMap<Pending>.KeyIterator ids = pending.keySet().iterator();
        long expiredId = 0;
        while (ids.hasNext())
        {
            final long requestId = ids.nextLong();
            final Pending request = pending.get(requestId);
            if (request.deadlineNs <= nowNs)
            {
                expiredId = requestId;
                break;
            }
            earliestDeadlineNs = Math.min(earliestDeadlineNs, request.deadlineNs);
        }
        if (0 != expiredId)
        {
            final Pending request = pending.remove(expiredId);
            release(request).onError(expiredId, ErrorCode.REQUEST_TIMEOUT, "no reply to request " + expiredId +
                " on queue '" + queue() + "' in time");
            earliestDeadlineNs = nowNs; // look again on the next poll: more may be due
        }
    }

    private ReplyHandler release(final Pending request)
    {
        final ReplyHandler handler = request.handler;
        request.handler = null;
        pool.add(request);
        return handler;
    }
}
