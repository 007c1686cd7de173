package io.ringmq.client;

import io.ringmq.codecs.ErrorCode;

/**
 * Told the outcome of each asynchronous publish, on the thread that calls {@link RingmqClient#poll()}. Two outcomes,
 * so two methods: implement both, or build one from two lambdas with {@link #of}.
 */
public interface ReceiptListener
{
    /** The publish with this correlation id is durable and has this sequence in its queue. */
    void onReceipt(long correlationId, long sequence);

    /**
     * The same, with the pair's epoch the primary that stored it served in (0 from a daemon before schema version
     * 10): the one the client calls. Override it to see the epoch; by default it forgets it and calls the other.
     */
    default void onReceipt(final long correlationId, final long sequence, final long epoch)
    {
        onReceipt(correlationId, sequence);
    }

    /** The publish with this correlation id was refused. */
    void onError(long correlationId, ErrorCode code, String message);

    /**
     * A listener from two lambdas: {@code ReceiptListener.of((id, seq) -> ..., (id, code, message) -> ...)}. Neither
     * may be left out: a refused publish that nobody hears of is a message lost without a word.
     */
    static ReceiptListener of(final OnReceipt onReceipt, final OnError onError)
    {
        if (null == onReceipt || null == onError)
        {
            throw new NullPointerException("a receipt listener needs both: what to do with a receipt and a refusal");
        }
        return new ReceiptListener()
        {
            public void onReceipt(final long correlationId, final long sequence)
            {
                onReceipt.onReceipt(correlationId, sequence);
            }

            public void onError(final long correlationId, final ErrorCode code, final String message)
            {
                onError.onError(correlationId, code, message);
            }
        };
    }

    /** {@link ReceiptListener#onReceipt} as a lambda. */
    @FunctionalInterface
    interface OnReceipt
    {
        void onReceipt(long correlationId, long sequence);
    }

    /** {@link ReceiptListener#onError} as a lambda. */
    @FunctionalInterface
    interface OnError
    {
        void onError(long correlationId, ErrorCode code, String message);
    }
}
