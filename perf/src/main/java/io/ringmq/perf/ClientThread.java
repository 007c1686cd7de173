package io.ringmq.perf;

import io.ringmq.client.ClientContext;
import io.ringmq.client.RingmqClient;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One thread that owns one {@link RingmqClient} for the whole harness run: the client is connected, used by every
 * pass and closed on this thread, as the client's threading rule asks. Keeping the clients across the warm-up and
 * the measured pass also keeps client disconnects (and the daemon's work on them) out of the measurement.
 */
final class ClientThread implements AutoCloseable
{
    private static final long CLOSE_TIMEOUT_S = 10;

    private final ExecutorService executor;
    /** Confined to the executor's thread. */
    private RingmqClient client;

    ClientThread(final String name, final ClientContext clientContext, final long timeoutS)
    {
        executor = Executors.newSingleThreadExecutor((runnable) -> PerfPinning.clientThread(runnable, name));
        final Future<?> connected = executor.submit(() -> client = RingmqClient.connect(clientContext));
        try
        {
            await(connected, timeoutS);
        }
        catch (final RuntimeException ex)
        {
            executor.shutdownNow();
            throw ex;
        }
    }

    /** Runs a task with the client on this thread. */
    Future<?> submit(final Consumer<RingmqClient> task)
    {
        return executor.submit(() -> task.accept(client));
    }

    /** Closes the client on its thread (the daemon closes its session) and ends the thread. */
    public void close()
    {
        try
        {
            await(executor.submit(() -> client.close()), CLOSE_TIMEOUT_S);
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    /**
     * Waits for a task; a failure or a timeout becomes an unchecked exception.
     */
    static void await(final Future<?> future, final long timeoutS)
    {
        try
        {
            future.get(timeoutS, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException(ex.getCause().getMessage(), ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("a client task did not finish within " + timeoutS + " s", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
