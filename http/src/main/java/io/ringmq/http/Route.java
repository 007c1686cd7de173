package io.ringmq.http;

import io.netty.handler.codec.http.HttpMethod;

/**
 * Every operation the face serves: a method on a path. {@code {queue}} stands for a queue name, {@code {group}} for a
 * group name, {@code {handle}} for a receipt handle. Where a literal segment and a placeholder could both match
 * ({@code messages/batch} and {@code messages/{handle}}), the literal wins: the order here is the order the router
 * tries the paths in.
 */
enum Route
{
    HEALTH(HttpMethod.GET, "/health"),
    METRICS(HttpMethod.GET, "/metrics"),
    LIST_QUEUES(HttpMethod.GET, "/queues"),
    QUEUE_STATS(HttpMethod.GET, "/queues/{queue}"),
    DECLARE_QUEUE(HttpMethod.PUT, "/queues/{queue}"),
    DELETE_QUEUE(HttpMethod.DELETE, "/queues/{queue}"),
    PURGE_QUEUE(HttpMethod.POST, "/queues/{queue}/purge"),
    LIST_GROUPS(HttpMethod.GET, "/queues/{queue}/groups"),
    DELETE_GROUP(HttpMethod.DELETE, "/queues/{queue}/groups/{group}"),
    SEND(HttpMethod.POST, "/queues/{queue}/messages"),
    SEND_BATCH(HttpMethod.POST, "/queues/{queue}/messages/batch"),
    DELETE_BATCH(HttpMethod.POST, "/queues/{queue}/messages/delete"),
    RECEIVE(HttpMethod.POST, "/queues/{queue}/messages/receive"),
    DELETE_MESSAGE(HttpMethod.DELETE, "/queues/{queue}/messages/{handle}"),
    CHANGE_VISIBILITY(HttpMethod.POST, "/queues/{queue}/messages/{handle}/visibility"),
    REJECT_MESSAGE(HttpMethod.POST, "/queues/{queue}/messages/{handle}/reject"),
    LIST_DEAD_LETTERS(HttpMethod.GET, "/queues/{queue}/dlq"),
    REDRIVE(HttpMethod.POST, "/queues/{queue}/dlq/redrive");

    static final String QUEUE = "{queue}";
    static final String GROUP = "{group}";
    static final String HANDLE = "{handle}";

    private final HttpMethod method;
    private final String path;
    private final String[] segments;

    Route(final HttpMethod method, final String path)
    {
        this.method = method;
        this.path = path;
        this.segments = path.substring(1).split("/");
    }

    HttpMethod method()
    {
        return method;
    }

    /** The path template, e.g. {@code /queues/{queue}/purge}. */
    String path()
    {
        return path;
    }

    String[] segments()
    {
        return segments;
    }
}
