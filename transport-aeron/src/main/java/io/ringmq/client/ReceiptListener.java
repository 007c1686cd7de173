package io.ringmq.client;

import io.ringmq.codecs.ErrorCode;

/**
 * Told the outcome of each asynchronous publish, on the thread that calls {@link RingmqClient#poll()}.
 */
public interface ReceiptListener
{
    /** The publish with this correlation id is durable and has this sequence in its queue. */
    void onReceipt(long correlationId, long sequence);

    /** The publish with this correlation id was refused. */
    void onError(long correlationId, ErrorCode code, String message);
}
