package io.ringmq.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.util.ArrayDeque;

/**
 * One connection's replies, written in the order its requests came. HTTP/1.1 lets a client send its next request
 * before the last reply (pipelining), and replies complete in any order (a long-polling receive, then a health
 * check), so each request takes a place in line and a reply is written once every reply before it is. With
 * {@link #MAX_WAITING} requests waiting, the connection stops reading until one is answered.
 * <p>
 * Not thread-safe: owned by the connection's event loop.
 */
final class ResponseQueue
{
    static final int MAX_WAITING = 16;

    /** A request's place in line. */
    static final class Place
    {
        private final boolean keepAlive;
        private final HttpVersion version;
        private HttpReply reply;

        private Place(final boolean keepAlive, final HttpVersion version)
        {
            this.keepAlive = keepAlive;
            this.version = version;
        }
    }

    private final ChannelHandlerContext ctx;
    private final ArrayDeque<Place> waiting = new ArrayDeque<>();
    private boolean closing;

    ResponseQueue(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    /** Whether a request that ends the connection has taken its place: nothing after it is answered. */
    boolean closing()
    {
        return closing;
    }

    /** @param keepAlive false when the connection closes after this reply. */
    Place add(final boolean keepAlive, final HttpVersion version)
    {
        final Place place = new Place(keepAlive, version);
        waiting.addLast(place);
        closing |= !keepAlive;
        if (waiting.size() >= MAX_WAITING)
        {
            ctx.channel().config().setAutoRead(false);
        }
        return place;
    }

    /** The place's reply is ready: writes it and every ready reply after it, if every one before is written. */
    void complete(final Place place, final HttpReply reply)
    {
        place.reply = reply;
        while (!waiting.isEmpty() && null != waiting.peekFirst().reply)
        {
            write(waiting.pollFirst());
        }
        if (waiting.size() < MAX_WAITING && !closing && !ctx.channel().config().isAutoRead())
        {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Whether a request of this connection still waits for its reply. */
    boolean answering()
    {
        return !waiting.isEmpty();
    }

    /** The connection closed: what is still waiting will find no one to write to. */
    void clear()
    {
        waiting.clear();
        closing = true;
    }

    private void write(final Place place)
    {
        final HttpReply reply = place.reply;
        final FullHttpResponse response = new DefaultFullHttpResponse(place.version, reply.status(),
            null == reply.json() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.json()));
        if (null != reply.json())
        {
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.json().length);
        }
        if (null != reply.allow())
        {
            response.headers().set(HttpHeaderNames.ALLOW, reply.allow());
        }
        if (!place.keepAlive)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        else if (!HttpVersion.HTTP_1_1.equals(place.version))
        {
            HttpUtil.setKeepAlive(response, true); // HTTP/1.0 keeps the connection only when told so
        }
        if (place.keepAlive)
        {
            ctx.writeAndFlush(response, ctx.voidPromise());
        }
        else
        {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
