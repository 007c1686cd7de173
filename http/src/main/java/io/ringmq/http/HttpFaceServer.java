package io.ringmq.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The SQS-like HTTP face: an HTTP/1.1 server (keep-alive, JSON bodies) that serves the routes of {@link Route} over a
 * {@link QueueService}.
 * <pre>
 *   request  -> HttpServerCodec -> BodyLimit -> RequestHandler -> Router -> Endpoints -> QueueService
 *                                  (413 past                                               | future
 *                                  maxBodyBytes)                                           v
 *   response <- ResponseQueue (in request order) <- reply, built on the connection's event loop
 * </pre>
 * One acceptor thread and at most two event-loop threads ({@code ringmq-http-*}): the gateway shares small machines
 * with the daemon, and the event loops only parse, route and write; the work is the daemon's. No event-loop thread
 * ever waits on the service: each call returns a future, and its reply is written when it completes.
 * <p>
 * Thread-safe: {@link #close()} may be called from any thread, more than once.
 */
public final class HttpFaceServer implements AutoCloseable
{
    private static final int MAX_WORKER_THREADS = 2;
    /** Longer than a receive's longest wait (20 s), so a client that polls in a loop keeps its connection. */
    static final long IDLE_CONNECTION_MS = 75_000;
    private static final long SHUTDOWN_TIMEOUT_S = 5;

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Channel listener;
    private final int port;
    private boolean closed;

    private HttpFaceServer(
        final EventLoopGroup bossGroup,
        final EventLoopGroup workerGroup,
        final Channel listener)
    {
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.listener = listener;
        this.port = ((InetSocketAddress)listener.localAddress()).getPort();
    }

    /**
     * Listens on {@code host:port} and serves {@code service} until closed.
     *
     * @param port         0 for any free port ({@link #port()} says which).
     * @param maxBodyBytes the largest request body taken; a larger one is answered 413.
     * @throws IllegalStateException when it cannot listen there (the address in use, a host that is not local).
     */
    public static HttpFaceServer start(
        final QueueService service, final String host, final int port, final int maxBodyBytes)
    {
        return start(service, host, port, maxBodyBytes, IDLE_CONNECTION_MS);
    }

    /**
     * @param idleConnectionMs a connection with no traffic for this long, and no request waiting for its reply, is
     *                         closed.
     */
    static HttpFaceServer start(
        final QueueService service, final String host, final int port, final int maxBodyBytes,
        final long idleConnectionMs)
    {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 0xFFFF)
        {
            throw new IllegalArgumentException("port=" + port + " must be 0 (any free port) to 65535");
        }
        if (maxBodyBytes < 1)
        {
            throw new IllegalArgumentException("maxBodyBytes=" + maxBodyBytes + " must be at least 1");
        }
        final EventLoopGroup bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("ringmq-http-boss"));
        final EventLoopGroup workerGroup = new NioEventLoopGroup(
            Math.min(MAX_WORKER_THREADS, Runtime.getRuntime().availableProcessors()),
            new DefaultThreadFactory("ringmq-http-worker"));
        final Endpoints endpoints = new Endpoints(service);
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel channel)
                {
                    channel.pipeline()
                        .addLast("idle", new IdleStateHandler(0, 0, idleConnectionMs, TimeUnit.MILLISECONDS))
                        .addLast("codec", new HttpServerCodec())
                        .addLast("body", new BodyLimit(maxBodyBytes))
                        .addLast("handler", new RequestHandler(endpoints));
                }
            });

        final ChannelFuture bound = bootstrap.bind(host, port).awaitUninterruptibly();
        if (!bound.isSuccess())
        {
            shutdown(bossGroup, workerGroup);
            throw new IllegalStateException("the HTTP face cannot listen on " + host + ":" + port + ": " +
                bound.cause(), bound.cause());
        }
        return new HttpFaceServer(bossGroup, workerGroup, bound.channel());
    }

    /** The port it listens on (the one chosen when started with port 0). */
    public int port()
    {
        return port;
    }

    /**
     * Stops accepting, closes every connection (replies not yet written are lost), and stops the event loops, waiting
     * for them. A service future that completes afterwards finds nowhere to write and is ignored.
     */
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        listener.close().awaitUninterruptibly();
        shutdown(bossGroup, workerGroup); // an event loop closes its connections as it stops
    }

    private static void shutdown(final EventLoopGroup bossGroup, final EventLoopGroup workerGroup)
    {
        // No quiet period: nothing is expected after close, and the port must be free when close returns.
        bossGroup.shutdownGracefully(0, SHUTDOWN_TIMEOUT_S, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, SHUTDOWN_TIMEOUT_S, TimeUnit.SECONDS);
        bossGroup.terminationFuture().awaitUninterruptibly();
        workerGroup.terminationFuture().awaitUninterruptibly();
    }
}
