package io.ringmq.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A reply to write: its status and JSON body (null for 204), and for a 405 the methods to allow.
 */
record HttpReply(HttpResponseStatus status, byte[] json, String allow)
{
    static HttpReply ok(final byte[] json)
    {
        return new HttpReply(HttpResponseStatus.OK, json, null);
    }

    static HttpReply of(final HttpResponseStatus status, final byte[] json)
    {
        return new HttpReply(status, json, null);
    }

    static HttpReply noContent()
    {
        return new HttpReply(HttpResponseStatus.NO_CONTENT, null, null);
    }
}
