package io.ringmq.client;

import io.ringmq.codecs.ErrorCode;
import org.agrona.DirectBuffer;

/**
 * Told the outcome of each asynchronous {@link Requester#request}, on the thread that calls {@link RingmqClient#poll()}:
 * its reply, or why there is none (the request was refused, or no reply came in time: {@code REQUEST_TIMEOUT}).
 */
public interface ReplyHandler
{
    /** The reply; the buffer and the headers view are valid during the call only. */
    void onReply(long requestId, DirectBuffer buffer, int offset, int length, MessageHeaders headers);

    void onError(long requestId, ErrorCode code, String message);
}
