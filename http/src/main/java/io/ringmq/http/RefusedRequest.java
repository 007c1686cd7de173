package io.ringmq.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the face answers itself, without asking the service: no such route, a method the path does not take, a bad
 * name, body or parameter. Thrown while a request is read; {@link ErrorReplies} turns it into its reply.
 */
final class RefusedRequest extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    static final String BAD_REQUEST = "BAD_REQUEST";
    static final String INVALID_NAME = "INVALID_NAME";

    private final transient HttpResponseStatus status;
    private final String code;
    private final String allow;
    private final Route route;

    private RefusedRequest(
        final HttpResponseStatus status, final String code, final String message, final String allow, final Route route)
    {
        super(message, null, false, false); // an answer, not a failure: no stack trace to fill
        this.status = status;
        this.code = code;
        this.allow = allow;
        this.route = route;
    }

    private RefusedRequest(
        final HttpResponseStatus status, final String code, final String message, final String allow)
    {
        this(status, code, message, allow, null);
    }

    static RefusedRequest badRequest(final String message)
    {
        return new RefusedRequest(HttpResponseStatus.BAD_REQUEST, BAD_REQUEST, message, null);
    }

    static RefusedRequest invalidName(final String message)
    {
        return new RefusedRequest(HttpResponseStatus.BAD_REQUEST, INVALID_NAME, message, null);
    }

    static RefusedRequest notFound(final String path)
    {
        return new RefusedRequest(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no route for " + path, null);
    }

    static RefusedRequest methodNotAllowed(final String method, final String template, final String allow)
    {
        return new RefusedRequest(HttpResponseStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
            template + " takes " + allow + ", not " + method, allow);
    }

    /** The same refusal of a request that matched {@code route} (its path and method), for the metrics' label. */
    RefusedRequest of(final Route route)
    {
        return new RefusedRequest(status, code, getMessage(), allow, route);
    }

    /** The route the request matched before it was refused (a bad name in its path), or null: none matched. */
    Route route()
    {
        return route;
    }

    HttpResponseStatus status()
    {
        return status;
    }

    String code()
    {
        return code;
    }

    /** The methods the path takes, for a 405's Allow header; null otherwise. */
    String allow()
    {
        return allow;
    }
}
