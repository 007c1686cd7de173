package io.ringmq.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A reply to write: its status, body (JSON unless {@code contentType} says otherwise; null for 204), and for a 405 the
 * methods to allow.
 */
record HttpReply(HttpResponseStatus status, byte[] json, String allow, String contentType)
{
    static final String JSON = "application/json; charset=utf-8";

    HttpReply(final HttpResponseStatus status, final byte[] json, final String allow)
    {
        this(status, json, allow, JSON);
    }

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

    /** A 200 whose body is not JSON, e.g. Prometheus' text format. */
    static HttpReply ok(final byte[] body, final String contentType)
    {
        return new HttpReply(HttpResponseStatus.OK, body, null, contentType);
    }
}
