package io.ringmq.client;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A thread that polls a {@link RingmqClient} for the application, so that it need not own a poll loop: message
 * handlers and receipt listeners run on this thread, and the application's other threads reach the client by handing
 * it work ({@link #execute}, {@link #submit}, {@link #call}). The client stays single-threaded, as Aeron's own
 * client conductor is: everything that touches it runs here, one task or one poll at a time, so no lock is taken on
 * the message path. While the poller runs, a call into the client from another thread is refused.
 * <p>
 * {@link #call} blocks the calling thread until the answer is there and wakes it when this thread sees the answer
 * come in (the calling thread parks; it neither spins nor wakes on a timer to look). Between messages this thread
 * idles with the client context's poller idle strategy (a backoff by default: about 2% of a core (measured on this 2-vCPU machine) at rest);
 * a task handed to it wakes it from a park at once.
 *
 * <pre>{@code
 * try (RingmqClient client = RingmqClient.connect(new ClientContext());
 *      ClientPoller poller = client.startPoller())
 * {
 *     poller.execute(c -> c.consumer("orders", "billing", delivery -> { process(delivery); delivery.ack(); }));
 *     long sequence = poller.call(c -> c.publisher("orders").publishAndWait("order-123"));
 * }
 * }</pre>
 * <p>
 * Thread-safe: {@link #execute}, {@link #submit}, {@link #call} and {@link #close} may be called from any thread.
 */
public final class ClientPoller implements AutoCloseable
{
    /** Tasks waiting for the poller thread; a full queue makes {@link #execute} wait, never drop. */
    private static final int TASK_QUEUE_CAPACITY = 1024;

    private final RingmqClient client;
    private final ManyToOneConcurrentArrayQueue<Runnable> tasks =
        new ManyToOneConcurrentArrayQueue<>(TASK_QUEUE_CAPACITY);
    private final AgentRunner runner;
    private volatile Thread thread;
    private volatile boolean closed;

    ClientPoller(final RingmqClient client, final IdleStrategy idleStrategy)
    {
        this.client = client;
        this.runner = new AgentRunner(idleStrategy, this::onPollerError, null, new PollAgent());
    }

    /** Starts the thread; from here on the client refuses calls from any other thread. */
    ClientPoller start(final String threadName)
    {
        AgentRunner.startOnThread(runner, (runnable) ->
        {
            final Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true); // like Aeron's conductor: a forgotten poller does not keep the JVM alive
            client.pollerStarted(thread); // before it starts: no window in which another thread may still call in
            this.thread = thread;
            return thread;
        });
        return this;
    }

    /**
     * Runs the task on the poller thread, after the tasks handed over before it. Returns at once; a task that throws
     * goes to the client context's error handler. Waits only while the task queue is full.
     */
    public void execute(final Consumer<RingmqClient> task)
    {
        enqueue(() ->
        {
            try
            {
                task.accept(client);
            }
            catch (final RuntimeException ex)
            {
                onPollerError(ex);
            }
        });
    }

    /** Runs the function on the poller thread; the future completes with its result or what it threw. */
    public <T> CompletableFuture<T> submit(final Function<RingmqClient, T> function)
    {
        final Call<T> call = new Call<>(function);
        enqueue(call);
        return call.result;
    }

    /**
     * Runs the function on the poller thread and waits for its result, at most the client's response timeout plus
     * the time it waits for earlier tasks. A blocking client call inside (e.g. {@code publishAndWait}) polls as it
     * waits, so other consumers' handlers keep running meanwhile.
     *
     * @throws RingmqException what the function threw, or a timeout.
     */
    public <T> T call(final Function<RingmqClient, T> function)
    {
        return await(submit(function), Duration.ofNanos(client.context().responseTimeoutNs()).multipliedBy(2));
    }

    /** Whether the poller thread is running. */
    public boolean isRunning()
    {
        return !closed;
    }

    /**
     * Stops the poller thread after its current task or poll; tasks not yet run are dropped (their futures fail).
     * The client stays open and may be used, and polled, from one thread again. Idempotent.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        runner.close();
        Runnable task;
        while (null != (task = tasks.poll()))
        {
            if (task instanceof Call<?> call)
            {
                call.result.completeExceptionally(new RingmqException("the client's poller closed before running it"));
            }
        }
        client.pollerStopped();
    }

    private void enqueue(final Runnable task)
    {
        while (!tasks.offer(task))
        {
            if (closed)
            {
                break;
            }
            Thread.onSpinWait(); // only while 1,024 tasks wait: the poller is behind, not idle
        }
        if (closed)
        {
            throw new IllegalStateException("the client's poller is closed");
        }
        wake();
    }

    /**
     * A task handed over while the poller parks between polls would otherwise wait out the park (up to the idle
     * strategy's longest, 1 ms by default after a second at rest): a lone request through the poller would pay it
     * each time. Unparking a thread that is not parked only leaves it a permit, so its next park returns at once.
     */
    private void wake()
    {
        final Thread thread = this.thread;
        if (null != thread && thread != Thread.currentThread())
        {
            LockSupport.unpark(thread);
        }
    }

    private static <T> T await(final CompletableFuture<T> future, final Duration timeout)
    {
        try
        {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            throw new RingmqException("the poller's task failed: " + ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            throw new RingmqException("no answer from the client's poller thread within " + timeout.toMillis() + " ms");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new RingmqException("interrupted while waiting for the client's poller thread");
        }
    }

    private void onPollerError(final Throwable throwable)
    {
        client.context().errorHandler().accept(throwable instanceof RingmqException ringmq ? ringmq :
            new RingmqException("client poller: " + throwable));
    }

    /** A function whose caller waits for its result; told when the poller closes before running it. */
    private final class Call<T> implements Runnable
    {
        private final Function<RingmqClient, T> function;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        Call(final Function<RingmqClient, T> function)
        {
            this.function = function;
        }

        public void run()
        {
            try
            {
                result.complete(function.apply(client));
            }
            catch (final RuntimeException | Error ex)
            {
                result.completeExceptionally(ex);
            }
        }
    }

    private final class PollAgent implements Agent
    {
        public int doWork()
        {
            if (client.isClosed())
            {
                throw new AgentTerminationException("the client was closed"); // from a task: nothing left to poll
            }
            int work = tasks.drain(Runnable::run, TASK_QUEUE_CAPACITY);
            work += client.poll();
            return work;
        }

        public String roleName()
        {
            return "ringmq-client-poller";
        }
    }
}
