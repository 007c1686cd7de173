package io.ringmq.http;

import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;

import java.util.function.ToLongFunction;

/**
 * Admin calls on a queue's dead-letter queue, which does not exist until the queue first dead-letters: for the CLI's
 * {@code dlq} commands and the HTTP face alike.
 */
public final class DeadLetterCalls
{
    private DeadLetterCalls()
    {
    }

    /**
     * Runs {@code call}, which names the dead-letter queue of {@code queue}. One that does not exist yet holds nothing,
     * so the answer is 0, as long as {@code queue} itself exists; if not, its UNKNOWN_QUEUE is the answer, naming it.
     */
    public static long orZero(final RingmqClient client, final String queue, final ToLongFunction<RingmqClient> call)
    {
        try
        {
            return call.applyAsLong(client);
        }
        catch (final RingmqException ex)
        {
            if (ex.code() != ErrorCode.UNKNOWN_QUEUE)
            {
                throw ex;
            }
            client.stats(queue); // throws UNKNOWN_QUEUE naming the queue if it does not exist either
            return 0;
        }
    }
}
