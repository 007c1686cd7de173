package io.ringmq.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Takes one connection's requests, whole (the aggregator's {@link FullHttpRequest}), hands each to the
 * {@link Endpoints}, and queues its reply in request order ({@link ResponseQueue}) for when the service's future
 * completes. Never waits: reading a request and calling the service both return at once.
 * <p>
 * One per connection; its state is owned by the connection's event loop, and a reply that completes on the service's
 * thread comes back to that loop to be written.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

    private final Endpoints endpoints;
    private final CloseHooks closeHooks = new CloseHooks();
    private ResponseQueue responses;

    RequestHandler(final Endpoints endpoints)
    {
        this.endpoints = endpoints;
    }

    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        responses = new ResponseQueue(ctx);
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (responses.closing())
            {
                return; // after a request that closes the connection: not answered
            }
            if (msg instanceof FullHttpRequest request)
            {
                serve(ctx, request);
            }
            else if (msg instanceof BodyLimit.TooLarge tooLarge)
            {
                final ResponseQueue.Place place = responses.add(tooLarge.keepAlive(), tooLarge.version());
                responses.complete(place, HttpReply.of(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    JsonBody.error("BODY_TOO_LARGE", "the request body is over " + tooLarge.maxBodyBytes() +
                        " bytes")));
            }
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
    }

    private void serve(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final DecoderResult decoded = request.decoderResult();
        if (!decoded.isSuccess())
        {
            // The decoder drops everything after a request it could not read: answer it and close.
            final ResponseQueue.Place place = responses.add(false, request.protocolVersion());
            responses.complete(place, undecodable(decoded.cause()));
            return;
        }
        final ResponseQueue.Place place = responses.add(HttpUtil.isKeepAlive(request), request.protocolVersion());
        CompletableFuture<HttpReply> reply;
        try
        {
            reply = endpoints.serve(request.method(), request.uri(), ByteBufUtil.getBytes(request.content()),
                ctx.executor(), closeHooks);
        }
        catch (final RuntimeException ex)
        {
            reply = CompletableFuture.failedFuture(ex);
        }
        reply.whenCompleteAsync((result, failure) -> responses.complete(place,
            null == failure ? result : ErrorReplies.reply(failure)), ctx.executor());
    }

    private static HttpReply undecodable(final Throwable cause)
    {
        if (cause instanceof TooLongHttpLineException)
        {
            return HttpReply.of(HttpResponseStatus.REQUEST_URI_TOO_LONG,
                JsonBody.error("URI_TOO_LONG", String.valueOf(cause.getMessage())));
        }
        if (cause instanceof TooLongHttpHeaderException)
        {
            return HttpReply.of(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                JsonBody.error("HTTP_HEADERS_TOO_LARGE", String.valueOf(cause.getMessage())));
        }
        return HttpReply.of(HttpResponseStatus.BAD_REQUEST,
            JsonBody.error(RefusedRequest.BAD_REQUEST, "not an HTTP request: " + cause.getMessage()));
    }

    /**
     * A connection that has had no traffic for the idle timeout is closed, unless a request of it still waits for its
     * reply (a long poll, a send waiting for its receipt): a client that opens connections and leaves them costs the
     * face a socket each until then, not for ever.
     */
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof IdleStateEvent)
        {
            if (!responses.answering())
            {
                LOG.debug("closing an HTTP connection from {}: idle", ctx.channel().remoteAddress());
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    public void channelInactive(final ChannelHandlerContext ctx)
    {
        responses.clear();
        closeHooks.close(); // requests still waiting (a long poll) stop waiting for a reply nobody will read
        ctx.fireChannelInactive();
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        LOG.debug("closing an HTTP connection from {} after {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
