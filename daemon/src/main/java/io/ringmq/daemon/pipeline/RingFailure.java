package io.ringmq.daemon.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import org.agrona.ErrorHandler;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.ring.CommandEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fail-stop for the command ring: the ring's exception handler, the error handler of the agent that feeds it, and the
 * gate in front of the journal and the dispatcher.
 * <p>
 * When a ring handler throws (the journal could not append, the state machine could not apply), nothing after that
 * command may take effect or be answered: a receipt would claim durability the journal did not give, and a state
 * machine that threw half-way is not one to build on. So the first failure is recorded and logged, whoever runs the
 * daemon is told (it then stops it), and from then on the dispatcher applies nothing ({@link #gate}). The handler
 * returns normally, so every ring thread keeps draining (the journal still journals what it can) and a stop is not
 * held up waiting for a dead thread. What was journaled but not applied is applied by the next start's replay; a
 * command that throws there too stops that start, naming it.
 * <p>
 * Thread-safe: called on the ring threads, read from any.
 */
public final class RingFailure implements ExceptionHandler<CommandEvent>
{
    private static final Logger LOG = LoggerFactory.getLogger(RingFailure.class);

    private final ErrorHandler errorHandler;
    private final Runnable onFailure;
    private volatile String failure;

    /**
     * @param errorHandler where every failure is recorded (the daemon's distinct error log), the first and any after.
     * @param onFailure    run once, on the ring thread that failed, at the first failure.
     */
    public RingFailure(final ErrorHandler errorHandler, final Runnable onFailure)
    {
        this.errorHandler = errorHandler;
        this.onFailure = onFailure;
    }

    /** Whether a ring handler has failed; once true, it stays true. */
    public boolean hasFailed()
    {
        return null != failure;
    }

    /** What failed, for people; null while nothing has. */
    public String failure()
    {
        return failure;
    }

    /**
     * The handler, handling nothing once the ring has failed: the journal appends nothing after the command it could
     * not append (no gap in its log sequences) or after the one the dispatcher could not apply, and the dispatcher
     * applies nothing after either. Its start and shutdown (the journal's last sync) still run.
     */
    public EventHandler<CommandEvent> gate(final EventHandler<CommandEvent> handler)
    {
        return new EventHandler<>()
        {
            public void onEvent(final CommandEvent event, final long sequence, final boolean endOfBatch)
                throws Exception
            {
                if (null == failure)
                {
                    handler.onEvent(event, sequence, endOfBatch);
                }
            }

            public void onStart()
            {
                handler.onStart();
            }

            public void onShutdown()
            {
                handler.onShutdown();
            }
        };
    }

    public void handleEventException(final Throwable ex, final long sequence, final CommandEvent event)
    {
        fail("a ring handler failed on the command at " +
            CommandHeader.describe(event.buffer(), 0, event.length()) + ": " + ex, ex);
    }

    public void handleOnStartException(final Throwable ex)
    {
        fail("a ring handler failed to start: " + ex, ex);
    }

    /**
     * An agent that feeds the ring (the ingress) threw out of its duty cycle: the same fail-stop, for an error handler
     * of its {@code AgentRunner}.
     */
    public void agentFailed(final String agent, final Throwable ex)
    {
        fail(agent + " failed: " + ex, ex);
    }

    public void handleOnShutdownException(final Throwable ex)
    {
        errorHandler.onError(ex);
        LOG.error("a ring handler failed while stopping", ex);
    }

    private void fail(final String what, final Throwable ex)
    {
        errorHandler.onError(ex);
        synchronized (this)
        {
            if (null != failure)
            {
                LOG.debug("after the ring failed: {}", what, ex);
                return;
            }
            failure = what;
        }
        LOG.error("fatal: {}. Nothing more is applied or answered; the daemon stops", what, ex);
        onFailure.run();
    }
}
