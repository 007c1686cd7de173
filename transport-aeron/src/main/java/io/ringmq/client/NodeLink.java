package io.ringmq.client;

import io.aeron.Aeron;
import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.IdleStrategy;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The Aeron side of one connection to one node: the Aeron client (the node's own media driver for a directory node,
 * this client's for an endpoint), the ingress publication and the egress subscription. A following client opens a
 * new link for each node it tries and closes the old one; a client given no nodes has one link over the context's
 * Aeron client for its life.
 * <p>
 * Not thread-safe: owned by the client's thread.
 */
final class NodeLink implements AutoCloseable
{
    final ClientNode node;
    final Aeron aeron;
    final ExclusivePublication ingress;
    final Subscription egress;
    final int responseStreamId;
    private final boolean ownsAeron;

    private NodeLink(
        final ClientNode node,
        final Aeron aeron,
        final boolean ownsAeron,
        final ExclusivePublication ingress,
        final Subscription egress,
        final int responseStreamId)
    {
        this.node = node;
        this.aeron = aeron;
        this.ownsAeron = ownsAeron;
        this.ingress = ingress;
        this.egress = egress;
        this.responseStreamId = responseStreamId;
    }

    /**
     * Opens the publications of the node the context names without a node list, over the context's Aeron client
     * (which the context owns), and waits for the ingress to connect.
     */
    static NodeLink ofContext(final ClientContext ctx)
    {
        return open(ctx, null, ctx.aeron(), false, ctx.ingressChannel(), ctx.connectTimeoutNs());
    }

    /**
     * Reaches one node of the list within {@code timeoutNs}: its media driver, then its ingress.
     *
     * @throws RingmqException saying what was not there.
     */
    static NodeLink of(final ClientContext ctx, final ClientNode node, final long timeoutNs)
    {
        final String dir = node.driverDirectory(ctx);
        final Aeron aeron;
        final boolean owned;
        if (node.isEndpoint() && null != ctx.aeron())
        {
            aeron = ctx.aeron();
            owned = false;
        }
        else
        {
            aeron = connectAeron(dir, ctx.clientName(), timeoutNs, ctx.connectTimeoutNs(), NodeLink::driverGone);
            owned = true;
        }
        try
        {
            return open(ctx, node, aeron, owned, node.ingressChannel(ctx), timeoutNs);
        }
        catch (final RuntimeException ex)
        {
            if (owned)
            {
                CloseHelper.quietClose(aeron);
            }
            throw ex;
        }
    }

    /**
     * Aeron's media driver stamps its heartbeat in the CnC file once per timer interval (aeron.timer.interval, 1 s by
     * default), so a live driver's stamp is up to that old plus any scheduling delay: a staleness bound near 1 s takes
     * a live driver on a busy host for gone (seen as "no ringmq daemon is running" right after a daemon started).
     */
    private static final long LIVE_DRIVER_STAMP_AGE_MS = 3_000;

    /** Whether the CnC file in {@code aeronDir} names a driver process that no longer runs on this host. */
    static boolean driverProcessGone(final File aeronDir)
    {
        final File cncFile = new File(aeronDir, CncFileDescriptor.CNC_FILE);
        if (!cncFile.isFile() || cncFile.length() < CncFileDescriptor.META_DATA_LENGTH)
        {
            return false; // nothing to read: isDriverActive says no driver
        }
        MappedByteBuffer cnc = null;
        try
        {
            cnc = IoUtil.mapExistingFile(cncFile, "cnc");
            final long pid = CncFileDescriptor.pid(CncFileDescriptor.createMetaDataBuffer(cnc));
            return pid > 0 && ProcessHandle.of(pid).map((process) -> !process.isAlive()).orElse(true);
        }
        catch (final RuntimeException ex)
        {
            return false; // unreadable now (being created): leave it to isDriverActive
        }
        finally
        {
            if (null != cnc)
            {
                IoUtil.unmap(cnc);
            }
        }
    }

    /**
     * An Aeron client of the media driver in {@code dir}.
     *
     * @param driverTimeoutNs how long the driver may not answer before the Aeron client takes it for gone.
     * @param errorHandler null for Aeron's default (which ends the process when the driver stops).
     *
     * @throws RingmqException within the timeout when no media driver runs there.
     */
    static Aeron connectAeron(
        final String dir,
        final String clientName,
        final long timeoutNs,
        final long driverTimeoutNs,
        final ErrorHandler errorHandler)
    {
        // A live driver's heartbeat may be a timer interval old (see LIVE_DRIVER_STAMP_AGE_MS); a driver whose
        // process is gone (a kill -9 on this host) is known at once from the pid its CnC file records.
        final long staleAfterMs = Math.max(LIVE_DRIVER_STAMP_AGE_MS, TimeUnit.NANOSECONDS.toMillis(timeoutNs));
        if (driverProcessGone(new File(dir)) ||
            !CommonContext.isDriverActive(new File(dir), staleAfterMs, (message) -> {}))
        {
            throw new NoDaemonException("no ringmq daemon is running: no active Aeron media driver in " + dir +
                " (start one with 'bin/ringmq daemon', or point ringmq.aeron.dir at the daemon's directory)");
        }
        try
        {
            final Aeron.Context context = new Aeron.Context()
                .aeronDirectoryName(dir)
                .driverTimeoutMs(Math.max(1, TimeUnit.NANOSECONDS.toMillis(driverTimeoutNs)))
                .clientName(clientName);
            return Aeron.connect(null == errorHandler ? context : context.errorHandler(errorHandler));
        }
        catch (final AeronException ex)
        {
            throw new NoDaemonException("no ringmq daemon is running: cannot reach the media driver in " + dir +
                ": " + ex.getMessage());
        }
    }

    /**
     * A following client's node stopped: its Aeron client closes itself, which {@link #isLost()} sees. Aeron's default
     * handler would end the whole process here.
     */
    private static void driverGone(final Throwable throwable)
    {
    }

    private static NodeLink open(
        final ClientContext ctx,
        final ClientNode node,
        final Aeron aeron,
        final boolean ownsAeron,
        final String ingressChannel,
        final long timeoutNs)
    {
        ExclusivePublication ingress = null;
        Subscription egress = null;
        try
        {
            final int responseStreamId = 0 != ctx.responseStreamId() ? ctx.responseStreamId() :
                ClientContext.RESPONSE_STREAM_ID_BASE + (int)(aeron.clientId() & 0x0FFF_FFFF);
            egress = aeron.addSubscription(ctx.responseChannel(), responseStreamId);
            ingress = aeron.addExclusivePublication(ingressChannel, ctx.ingressStreamId());
            awaitConnected(ctx, aeron, ingress, timeoutNs);
            return new NodeLink(node, aeron, ownsAeron, ingress, egress, responseStreamId);
        }
        catch (final AeronException ex)
        {
            // A driver that stalls or dies between its liveness check and these registrations (a node killed, or
            // restarting, under load) is a node that did not take the client, like any other: the primary finder
            // goes on to the next node instead of the exception ending the client's thread.
            CloseHelper.quietCloseAll(ingress, egress);
            throw new RingmqException("the media driver in " + aeron.context().aeronDirectoryName() +
                " failed while this client registered with it: " + ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(ingress, egress);
            throw ex;
        }
    }

    private static void awaitConnected(
        final ClientContext ctx, final Aeron aeron, final ExclusivePublication ingress, final long timeoutNs)
    {
        final IdleStrategy idle = ctx.idleStrategy();
        final long deadlineNs = ctx.clock().nanoTime() + timeoutNs;
        idle.reset();
        while (!ingress.isConnected())
        {
            if (ctx.clock().nanoTime() - deadlineNs > 0)
            {
                throw new NoDaemonException("no ringmq daemon is running: a media driver is active in " +
                    aeron.context().aeronDirectoryName() + " but nothing listens on " + ingress.channel() +
                    " stream " + ingress.streamId());
            }
            idle.idle();
        }
    }

    /**
     * Whether the node is gone as far as this side can tell: its media driver or ingress went away, or it closed this
     * client's response stream (a node that stops, or hands over and becomes a standby, closes its sessions).
     */
    boolean isLost()
    {
        if (daemonGone())
        {
            return true;
        }
        return 0 == egress.imageCount() || egress.imageAtIndex(0).isEndOfStream();
    }

    /** Whether the daemon itself is gone: its media driver stopped answering, or its ingress is not connected. */
    boolean daemonGone()
    {
        return aeron.isClosed() || !ingress.isConnected();
    }

    /** Why {@link #isLost()} said so, for the listener. */
    String lostReason()
    {
        if (aeron.isClosed())
        {
            return "its media driver stopped answering";
        }
        if (!ingress.isConnected())
        {
            return "its ingress is no longer connected";
        }
        return "it closed this client's session";
    }

    public void close()
    {
        CloseHelper.quietCloseAll(ingress, egress);
        if (ownsAeron)
        {
            CloseHelper.quietClose(aeron);
        }
    }
}
