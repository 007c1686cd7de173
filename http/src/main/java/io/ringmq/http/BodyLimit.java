package io.ringmq.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Aggregates a request and its body into one message, up to {@code maxBodyBytes}. A request with a larger body is
 * passed on as {@link TooLarge} rather than answered here as Netty's own aggregator does, so that its 413 carries the
 * face's JSON error body and is written in its turn after the replies to the requests before it.
 */
final class BodyLimit extends HttpObjectAggregator
{
    /**
     * What is left of a request whose body was over the limit. The aggregator reads past the rest of its body and
     * drops it, so the connection can go on (closing it with the body still arriving would reset it, and the client
     * might never read the 413); not after an {@code Expect: 100-continue}, where the body never comes and the
     * decoder would take the next request for it.
     */
    record TooLarge(int maxBodyBytes, boolean keepAlive, HttpVersion version)
    {
    }

    private final int maxBodyBytes;

    BodyLimit(final int maxBodyBytes)
    {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    /** No interim answer to a body announced too large: {@link #handleOversizedMessage} answers it. */
    protected Object newContinueResponse(
        final HttpMessage start, final int maxContentLength, final ChannelPipeline pipeline)
    {
        if (start.decoderResult().isFailure())
        {
            return null; // answered 400 and closed: see isContentLengthInvalid
        }
        return HttpUtil.getContentLength(start, -1L) > maxContentLength ?
            null : super.newContinueResponse(start, maxContentLength, pipeline);
    }

    /**
     * A request the decoder could not read (a {@code Content-Length} that is not a number, or past a long) is passed
     * on with its failure, as the aggregator passes any such request, and answered 400 by the handler. Netty's own
     * check would parse that length again and throw, which closed the connection without an answer.
     */
    protected boolean isContentLengthInvalid(final HttpMessage start, final int maxContentLength)
    {
        return !start.decoderResult().isFailure() && super.isContentLengthInvalid(start, maxContentLength);
    }

    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized)
    {
        // The aggregator releases the oversized message after this returns.
        final boolean keepAlive = HttpUtil.isKeepAlive(oversized) && !HttpUtil.is100ContinueExpected(oversized);
        ctx.fireChannelRead(new TooLarge(maxBodyBytes, keepAlive, oversized.protocolVersion()));
    }
}
