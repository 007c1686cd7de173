package io.ringmq.perf;

import io.ringmq.client.ClientContext;
import io.ringmq.perf.process.DaemonLauncher;
import io.ringmq.perf.process.DaemonProcess;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a ringmq run puts the daemon and how its clients are set up:
 * <ul>
 *   <li>{@link #inProcess()}: the daemon in this JVM ({@link InProcessDaemon}), clients yielding when idle; the shape
 *   the comparison has always measured.</li>
 *   <li>{@link #process(DaemonLauncher)}: the deployment shape, the daemon as a process of its own started by the
 *   launcher ({@link DaemonProcess}, the daemon's defaults except what the run sets), clients with the Java client's
 *   default settings ({@code ClientContext} idle strategies not overridden) and the harness's poll loops idling as
 *   the client's blocking calls do.</li>
 * </ul>
 * Results of the process shape carry the system name {@code ringmq-process}.
 */
public final class RingmqDeployment
{
    public static final String IN_PROCESS = "in-process";
    public static final String PROCESS = "process";
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final String shape;
    private final DaemonLauncher launcher;

    private RingmqDeployment(final String shape, final DaemonLauncher launcher)
    {
        this.shape = shape;
        this.launcher = launcher;
    }

    public static RingmqDeployment inProcess()
    {
        return new RingmqDeployment(IN_PROCESS, null);
    }

    public static RingmqDeployment process(final DaemonLauncher launcher)
    {
        return new RingmqDeployment(PROCESS, launcher);
    }

    /** {@value #IN_PROCESS} or {@value #PROCESS}. */
    public String shape()
    {
        return shape;
    }

    public boolean isProcess()
    {
        return null != launcher;
    }

    /** The system name its results carry: {@code ringmq} or {@code ringmq-process}. */
    public String system()
    {
        return isProcess() ? "ringmq-process" : "ringmq";
    }

    /** Starts a fresh daemon with these settings over its defaults (and, in this JVM, over {@code -Dringmq.*}). */
    public RingmqServer launch(final Map<String, String> settings)
    {
        return isProcess() ? DaemonProcess.launch(launcher, settings, List.of(), START_TIMEOUT_NS) :
            InProcessDaemon.launch(settings);
    }

    /** A client context for one client thread of a run (each needs its own: idle strategies keep state). */
    public ClientContext clientContext(final RingmqServer server, final String name)
    {
        final ClientContext ctx = new ClientContext()
            .aeronDirectoryName(server.aeronDir())
            .clientName(name)
            .connectTimeoutNs(CONNECT_TIMEOUT_NS);
        return isProcess() ? ctx : ctx.idleStrategy(new YieldingIdleStrategy());
    }

    /**
     * The idle strategy of a harness loop that polls a client itself (ping-pong): yielding in this JVM, and in the
     * deployment shape a fresh instance of the client's default, the one its blocking calls wait with.
     */
    public IdleStrategy loopIdleStrategy()
    {
        return isProcess() ? new ClientContext().aeronDirectoryName("unused").conclude().idleStrategy() :
            new YieldingIdleStrategy();
    }

    /** One line for the report's setup list. */
    public String describe()
    {
        return isProcess() ? "daemon as its own process started by " + launcher.describe() + " (fresh data and " +
            "Aeron directories, SIGTERM at the end), its defaults except the journal fsync; clients in the harness " +
            "JVM with the Java client's default settings" :
            "daemon in-process; clients yielding when idle";
    }
}
