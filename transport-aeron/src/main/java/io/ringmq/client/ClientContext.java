package io.ringmq.client;

import io.aeron.Aeron;
import io.ringmq.transport.GrowingBackoffIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How a {@link RingmqClient} finds and talks to its daemon. Fluent setters; {@link #conclude()} fills defaults and
 * rejects bad combinations. The defaults match the daemon's defaults, so an application on the same machine only
 * needs {@link #aeronDirectoryName(String)} when the daemon does not use its default directory.
 */
public final class ClientContext
{
    public static final String DEFAULT_INGRESS_CHANNEL = "aeron:ipc";
    public static final int DEFAULT_INGRESS_STREAM_ID = 1001;
    public static final String DEFAULT_RESPONSE_CHANNEL = "aeron:ipc";
    /** Auto-assigned response streams live above this base, one per client of a media driver. */
    public static final int RESPONSE_STREAM_ID_BASE = 0x1000_0000;

    /** How long a following client looks for a primary before it gives up (ringmq.client.reconnect.timeout). */
    public static final long DEFAULT_RECONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private static final int POLLER_SPINS = 10;
    private static final int POLLER_YIELDS = 20;
    private static final long POLLER_MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long POLLER_MAX_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);
    /** About a second of 100 us parks with nothing to do before the parks grow. */
    private static final long POLLER_PATIENT_PARKS = 10_000;
    private static final long POLLER_MAX_IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private String aeronDirectoryName;
    private Aeron aeron;
    private boolean ownsAeron;
    private String ingressChannel = DEFAULT_INGRESS_CHANNEL;
    private int ingressStreamId = DEFAULT_INGRESS_STREAM_ID;
    private String responseChannel = DEFAULT_RESPONSE_CHANNEL;
    private int responseStreamId;
    private long connectTimeoutNs = TimeUnit.SECONDS.toNanos(5);
    private long responseTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private IdleStrategy idleStrategy;
    private IdleStrategy pollerIdleStrategy;
    private EpochNanoClock clock;
    private String clientName = "ringmq-client";
    private int ackBatchLimit;
    private Consumer<RingmqException> errorHandler;
    private List<ClientNode> nodes = List.of();
    private long reconnectTimeoutNs = DEFAULT_RECONNECT_TIMEOUT_NS;
    private ConnectionListener connectionListener = ConnectionListener.NONE;
    private boolean concluded;

    /** Fills defaults and checks values; called by {@link RingmqClient#connect(ClientContext)}. */
    public ClientContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("ClientContext already used by a client");
        }
        if (null == aeron && null == aeronDirectoryName)
        {
            aeronDirectoryName = DefaultAeronDirectory.resolve(); // where a daemon with default settings is
        }
        if (connectTimeoutNs <= 0 || responseTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("connectTimeoutNs and responseTimeoutNs must be positive");
        }
        if (reconnectTimeoutNs < 0)
        {
            throw new IllegalArgumentException("reconnectTimeoutNs=" + reconnectTimeoutNs +
                " must be >= 0 (0 = do not reconnect)");
        }
        if (null != aeron && nodes.stream().anyMatch((node) -> !node.isEndpoint()))
        {
            throw new IllegalArgumentException("nodes named by Aeron directory (" + nodes + ") are reached through " +
                "their own media drivers: give no Aeron client with aeron(...), or name the nodes by HOST:PORT");
        }
        if (ackBatchLimit < 0)
        {
            throw new IllegalArgumentException("ackBatchLimit=" + ackBatchLimit +
                " must be >= 0 (0 = as many as fit in one Aeron frame, 1 = each ack on its own)");
        }
        if (responseStreamId < 0)
        {
            throw new IllegalArgumentException("responseStreamId=" + responseStreamId + " must be >= 0 (0 = auto)");
        }
        if (null == idleStrategy)
        {
            idleStrategy = new YieldingIdleStrategy();
        }
        if (null == pollerIdleStrategy)
        {
            pollerIdleStrategy = new GrowingBackoffIdleStrategy(POLLER_SPINS, POLLER_YIELDS, POLLER_MIN_PARK_NS,
                POLLER_MAX_PARK_NS, POLLER_PATIENT_PARKS, POLLER_MAX_IDLE_PARK_NS);
        }
        if (null == clock)
        {
            clock = new SystemEpochNanoClock();
        }
        if (null == errorHandler)
        {
            errorHandler = (e) -> System.err.println("ringmq client: " + e.getMessage());
        }
        concluded = true;
        return this;
    }

    public ClientContext aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    /** Use this Aeron client instead of connecting one; the RingmqClient will not close it. */
    public ClientContext aeron(final Aeron aeron)
    {
        this.aeron = aeron;
        return this;
    }

    public Aeron aeron()
    {
        return aeron;
    }

    ClientContext ownedAeron(final Aeron aeron)
    {
        this.aeron = aeron;
        this.ownsAeron = true;
        return this;
    }

    boolean ownsAeron()
    {
        return ownsAeron;
    }

    public ClientContext ingressChannel(final String ingressChannel)
    {
        this.ingressChannel = ingressChannel;
        return this;
    }

    public String ingressChannel()
    {
        return ingressChannel;
    }

    public ClientContext ingressStreamId(final int ingressStreamId)
    {
        this.ingressStreamId = ingressStreamId;
        return this;
    }

    public int ingressStreamId()
    {
        return ingressStreamId;
    }

    /**
     * Where the daemon sends this client's receipts and deliveries, e.g. {@code aeron:udp?endpoint=host:port}. The daemon
     * takes IPC, or UDP to the address this client's commands come from (as an IP address, or {@code localhost} on the
     * daemon's machine) or to a host its {@code ringmq.response.allowed.hosts} names, and answers nothing on any other;
     * a {@code term-length} must be at most its {@code ringmq.response.max.term.length} (connect fails with
     * RESPONSE_TERM_TOO_LARGE) and at least 8 x its {@code ringmq.max.message.bytes}.
     */
    public ClientContext responseChannel(final String responseChannel)
    {
        this.responseChannel = responseChannel;
        return this;
    }

    public String responseChannel()
    {
        return responseChannel;
    }

    /** Stream id of this client's responses; 0 (default) picks one unique among the media driver's clients. */
    public ClientContext responseStreamId(final int responseStreamId)
    {
        this.responseStreamId = responseStreamId;
        return this;
    }

    public int responseStreamId()
    {
        return responseStreamId;
    }

    /** How long to wait for a media driver and a daemon before failing with "no daemon running". */
    public ClientContext connectTimeoutNs(final long connectTimeoutNs)
    {
        this.connectTimeoutNs = connectTimeoutNs;
        return this;
    }

    public long connectTimeoutNs()
    {
        return connectTimeoutNs;
    }

    /** How long blocking calls (subscribe, publish and wait) wait for the daemon's answer. */
    public ClientContext responseTimeoutNs(final long responseTimeoutNs)
    {
        this.responseTimeoutNs = responseTimeoutNs;
        return this;
    }

    public long responseTimeoutNs()
    {
        return responseTimeoutNs;
    }

    /** Idle strategy of blocking calls while they wait. Default yielding. */
    public ClientContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /** Clock for timeouts; injectable for tests. */
    /**
     * How a {@link ClientPoller} thread waits between messages. Default: a backoff that spins and yields briefly,
     * then parks from 1 us up to 100 us, and after about a second with nothing to do lets its parks grow to 1 ms: in
     * traffic a message waits at most ~100 us for the thread to look, after a quiet second at most ~1 ms, and at rest
     * the thread costs about 2% of a core (measured on this 2-vCPU machine). A {@code BusySpinIdleStrategy} answers fastest, on a core of its own.
     */
    public ClientContext pollerIdleStrategy(final IdleStrategy pollerIdleStrategy)
    {
        this.pollerIdleStrategy = pollerIdleStrategy;
        return this;
    }

    public IdleStrategy pollerIdleStrategy()
    {
        return pollerIdleStrategy;
    }

    public ClientContext clock(final EpochNanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    public EpochNanoClock clock()
    {
        return clock;
    }

    public ClientContext clientName(final String clientName)
    {
        this.clientName = clientName;
        return this;
    }

    public String clientName()
    {
        return clientName;
    }

    /**
     * Most acks of one consumer, made during one {@link RingmqClient#poll()}, that go to the daemon together as one
     * AckBatch frame (one journal record). 0 (default): as many as fit in one Aeron frame of the ingress, about 110
     * with Aeron's default MTU; 1: each ack goes on its own, as acks outside a poll always do. Never more than fit in
     * the daemon's {@code ringmq.max.message.bytes}.
     */
    public ClientContext ackBatchLimit(final int ackBatchLimit)
    {
        this.ackBatchLimit = ackBatchLimit;
        return this;
    }

    public int ackBatchLimit()
    {
        return ackBatchLimit;
    }

    /**
     * The nodes of a pair (or a single daemon) this client may connect to, comma-separated: each the Aeron directory
     * of a daemon on this host, or {@code HOST:PORT} of a remote daemon's UDP ingress (reached through the media
     * driver in {@link #aeronDirectoryName(String)}, with a UDP {@link #responseChannel(String)}). The client connects
     * to the first that takes it, following a standby's NOT_PRIMARY redirect, and follows the primary from then on
     * (see {@link #reconnectTimeoutNs(long)}). Empty (default): the one daemon {@link #aeronDirectoryName(String)} and
     * {@link #ingressChannel(String)} name, not followed.
     */
    public ClientContext nodes(final String nodes)
    {
        return nodes(ClientNode.parseList(nodes));
    }

    public ClientContext nodes(final List<ClientNode> nodes)
    {
        this.nodes = List.copyOf(nodes);
        return this;
    }

    public List<ClientNode> nodes()
    {
        return nodes;
    }

    /**
     * With {@link #nodes} given: how long the client looks for a primary after it lost its node (the node stopped,
     * handed over, or did not answer within the response timeout) before it gives up and closes, telling the
     * {@link #connectionListener}. 0: it does not reconnect. Default 10 s ({@code ringmq.client.reconnect.timeout}).
     */
    public ClientContext reconnectTimeoutNs(final long reconnectTimeoutNs)
    {
        this.reconnectTimeoutNs = reconnectTimeoutNs;
        return this;
    }

    public long reconnectTimeoutNs()
    {
        return reconnectTimeoutNs;
    }

    /** Whether the client follows the primary: nodes are given and the reconnect timeout is not 0. */
    boolean follows()
    {
        return !nodes.isEmpty() && reconnectTimeoutNs > 0;
    }

    /** Told when a following client loses its node, reconnects, or gives up. */
    public ClientContext connectionListener(final ConnectionListener connectionListener)
    {
        this.connectionListener = null == connectionListener ? ConnectionListener.NONE : connectionListener;
        return this;
    }

    public ConnectionListener connectionListener()
    {
        return connectionListener;
    }

    /**
     * Told about errors that belong to no pending request (e.g. a refused ack), and, on the Aeron client's own thread,
     * when the daemon's media driver stops answering (the client is closed then; Aeron's default would end the
     * process).
     */
    public ClientContext errorHandler(final Consumer<RingmqException> errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    public Consumer<RingmqException> errorHandler()
    {
        return errorHandler;
    }
}
