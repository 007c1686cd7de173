package io.ringmq.http;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A service call as a future whatever it does: one that throws instead of returning a failed future, or returns null,
 * still gets its error reply.
 */
final class ServiceCalls
{
    private ServiceCalls()
    {
    }

    static <T> CompletableFuture<T> call(final Supplier<CompletableFuture<T>> call)
    {
        try
        {
            final CompletableFuture<T> result = call.get();
            return null != result ? result :
                CompletableFuture.failedFuture(new NullPointerException("the queue service answered no future"));
        }
        catch (final RuntimeException ex)
        {
            return CompletableFuture.failedFuture(ex);
        }
    }
}
