package io.ringmq.daemon;

import com.lmax.disruptor.WaitStrategy;
import io.ringmq.config.RingmqConfig;
import net.openhft.chronicle.core.time.TimeProvider;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.CountedErrorHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.Objects;

/**
 * What a {@link Daemon} is built from, in Aeron's manner: fluent setters, and a {@link #conclude()} that checks the
 * settings and fills in what was left unset. Everything an agent reads that a test may want to step is here, so each
 * agent can be driven by hand:
 * <ul>
 *     <li>{@link #settings}: the validated configuration (required).</li>
 *     <li>{@link #epochNanoClock}: the daemon's clock, stamped on every command: the only time the state machine
 *     knows (visibility timeouts, delays, TTLs) and the time stalled clients are judged by.</li>
 *     <li>{@link #nanoClock}: monotonic time for what is a matter of real time whatever the epoch clock says: the
 *     egress's turns, the journal's interval sync, the disk-space checks, stage latencies.</li>
 *     <li>{@link #epochClock}: wall-clock milliseconds for the error log's timestamps.</li>
 *     <li>{@link #aeronDriverTimeoutNs}: how long the daemon's Aeron client waits on a silent media driver before the
 *     daemon stops (tests shorten it).</li>
 *     <li>{@link #errorHandler}: where errors the daemon survives or stops on are recorded; by default into the
 *     {@link DaemonErrorLog} ({@code <ringmq.data.dir>/errors.dat}, distinct errors with counts) and the log.</li>
 *     <li>{@link #errorCounter}: the seam for counters in shared memory (a later issue): when set, each error is
 *     also counted there.</li>
 *     <li>{@link #ingressIdleStrategy} and {@link #ringWaitStrategy}: what the ingress thread does when it found no
 *     work, and how the ring's handlers wait; by default as {@code ringmq.idle.strategy} and
 *     {@code ringmq.ring.wait.strategy} say.</li>
 * </ul>
 * The error log is mapped by the daemon once the Aeron directory is known to be its own, not by {@link #conclude()}: a
 * start refused because another daemon holds that directory leaves no data directory behind.
 * <p>
 * Not thread-safe: set up on one thread, then handed to the daemon, which owns it and closes it.
 */
public final class DaemonContext implements AutoCloseable
{
    private boolean concluded;
    private RingmqConfig settings;
    private EpochNanoClock epochNanoClock;
    private NanoClock nanoClock;
    private EpochClock epochClock;
    private ErrorHandler errorHandler;
    private AtomicCounter errorCounter;
    private DaemonErrorLog errorLog;
    private IdleStrategy ingressIdleStrategy;
    private WaitStrategy ringWaitStrategy;
    /** How long the daemon's Aeron client waits on a silent media driver; 0 = Aeron's (10 s, aeron.driver.timeout). */
    private long aeronDriverTimeoutNs;
    /** Picks the journal's roll cycle; null = Chronicle's system clock (tests step it to roll without waiting). */
    private TimeProvider journalRollClock;

    /**
     * Checks the settings (the ingress channels with Aeron's own parsers, a writable data directory) before anything
     * makes a file, and fills in every default left unset.
     *
     * @return this.
     * @throws IllegalStateException if it was concluded already, or no settings were given.
     */
    public DaemonContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("a DaemonContext is concluded once, by the one daemon that uses it");
        }
        concluded = true;
        Objects.requireNonNull(settings, "settings: a DaemonContext needs the daemon's RingmqConfig");
        IngressChannels.requireValid(settings); // before the media driver or the journal makes any file
        ThreadAffinity.requireAvailable(settings); // a CPU this process may not use, before any thread starts
        DataDirectory.requireWritable(settings.dataDir()); // before anything starts: no "running" without a journal
        if (null == epochNanoClock)
        {
            epochNanoClock = new SystemEpochNanoClock();
        }
        if (null == nanoClock)
        {
            nanoClock = SystemNanoClock.INSTANCE;
        }
        if (null == epochClock)
        {
            epochClock = SystemEpochClock.INSTANCE;
        }
        if (null == ingressIdleStrategy)
        {
            ingressIdleStrategy = Strategies.idleStrategy(settings.idleStrategy());
        }
        if (null == ringWaitStrategy)
        {
            ringWaitStrategy = Strategies.waitStrategy(settings.ringWaitStrategy());
        }
        return this;
    }

    /**
     * Maps the error log in the data directory and, if no error handler was given, makes the default one record into
     * it; then counts each error in the {@link #errorCounter} if one was given. Called by the daemon once the Aeron
     * directory is its own.
     */
    void concludeErrorHandling()
    {
        if (null == errorHandler)
        {
            errorLog = DaemonErrorLog.map(settings.dataDir(), epochClock);
            errorHandler = errorLog;
        }
        if (null != errorCounter)
        {
            errorHandler = new CountedErrorHandler(errorHandler, errorCounter);
        }
    }

    public RingmqConfig settings()
    {
        return settings;
    }

    public DaemonContext settings(final RingmqConfig settings)
    {
        this.settings = settings;
        return this;
    }

    public EpochNanoClock epochNanoClock()
    {
        return epochNanoClock;
    }

    /** The clock commands are stamped with: tests step it to drive timeouts without sleeping. */
    public DaemonContext epochNanoClock(final EpochNanoClock epochNanoClock)
    {
        this.epochNanoClock = epochNanoClock;
        return this;
    }

    /**
     * How long the daemon's Aeron client lets its media driver not answer before it takes it for gone and the daemon
     * stops (fail-stop, exit 1); 0, the default, leaves Aeron's (10 s, or {@code -Daeron.driver.timeout}). Longer than
     * the driver's timer interval (1 s by default): the driver stamps its keepalive that often.
     */
    public long aeronDriverTimeoutNs()
    {
        return aeronDriverTimeoutNs;
    }

    public DaemonContext aeronDriverTimeoutNs(final long aeronDriverTimeoutNs)
    {
        this.aeronDriverTimeoutNs = aeronDriverTimeoutNs;
        return this;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    public DaemonContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    public EpochClock epochClock()
    {
        return epochClock;
    }

    public DaemonContext epochClock(final EpochClock epochClock)
    {
        this.epochClock = epochClock;
        return this;
    }

    /** Null until {@link #conclude()} and the daemon's start, unless set. */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    public DaemonContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /** Null unless set: counters in shared memory come with a later issue. */
    public AtomicCounter errorCounter()
    {
        return errorCounter;
    }

    public DaemonContext errorCounter(final AtomicCounter errorCounter)
    {
        this.errorCounter = errorCounter;
        return this;
    }

    /** The default error handler's log; null when another handler was given or before the daemon started. */
    public DaemonErrorLog errorLog()
    {
        return errorLog;
    }

    public IdleStrategy ingressIdleStrategy()
    {
        return ingressIdleStrategy;
    }

    public DaemonContext ingressIdleStrategy(final IdleStrategy ingressIdleStrategy)
    {
        this.ingressIdleStrategy = ingressIdleStrategy;
        return this;
    }

    public WaitStrategy ringWaitStrategy()
    {
        return ringWaitStrategy;
    }

    public DaemonContext ringWaitStrategy(final WaitStrategy ringWaitStrategy)
    {
        this.ringWaitStrategy = ringWaitStrategy;
        return this;
    }

    TimeProvider journalRollClock()
    {
        return journalRollClock;
    }

    /** For tests: the clock that decides the journal's roll cycles, to roll files without waiting. */
    DaemonContext journalRollClock(final TimeProvider journalRollClock)
    {
        this.journalRollClock = journalRollClock;
        return this;
    }

    /** Unmaps the error log, if this context mapped one. */
    public void close()
    {
        CloseHelper.quietClose(errorLog);
    }
}
