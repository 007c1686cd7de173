package io.ringmq.daemon;

import io.aeron.exceptions.ClientTimeoutException;
import io.aeron.exceptions.ConductorServiceTimeoutException;
import io.aeron.exceptions.DriverTimeoutException;
import io.ringmq.daemon.pipeline.RingFailure;
import org.agrona.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error handler of the daemon's own Aeron client. Aeron's default prints the error and, when the media driver
 * stops answering, calls {@code System.exit} from the client's conductor thread: the JVM would end without draining
 * the ring, syncing the journal or saying why in the daemon's log. Here an error the client survives is recorded in
 * the daemon's error log; one after which the client has closed itself (the driver stopped answering, the driver
 * timed this client out, or the client's own conductor was starved past its service interval) is the daemon's
 * fail-stop ({@link RingFailure}): logged with the driver's directory, nothing more applied or answered, and
 * {@code bin/ringmq daemon} stops in its own orderly way and exits 1.
 * <p>
 * Thread-safe: called on the Aeron client's conductor thread.
 */
final class AeronClientErrors implements ErrorHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(AeronClientErrors.class);

    private final String aeronDir;
    private final ErrorHandler errorHandler;
    private final RingFailure ringFailure;

    /**
     * @param errorHandler where a survivable error is recorded (the daemon's error log).
     * @param ringFailure  the daemon's fail-stop, which records the fatal ones.
     */
    AeronClientErrors(final String aeronDir, final ErrorHandler errorHandler, final RingFailure ringFailure)
    {
        this.aeronDir = aeronDir;
        this.errorHandler = errorHandler;
        this.ringFailure = ringFailure;
    }

    public void onError(final Throwable throwable)
    {
        if (closesTheClient(throwable))
        {
            ringFailure.agentFailed("the daemon's Aeron client: the media driver in " + aeronDir +
                " stopped answering (" + throwable.getClass().getSimpleName() + ")", throwable);
        }
        else
        {
            errorHandler.onError(throwable);
            LOG.warn("the daemon's Aeron client: {}", throwable.toString());
        }
    }

    /** Whether Aeron's client conductor closes the client after this error. */
    static boolean closesTheClient(final Throwable throwable)
    {
        return throwable instanceof DriverTimeoutException || throwable instanceof ClientTimeoutException ||
            throwable instanceof ConductorServiceTimeoutException;
    }
}
