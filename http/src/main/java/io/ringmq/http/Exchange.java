package io.ringmq.http;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * One request on its way through an endpoint: the route and names it matched, its query and body, the executor its
 * reply is built on (its connection's event loop, so that the service's thread only hands the result over), and what
 * completes when its connection closes.
 */
record Exchange(
    RoutedRequest routed, QueryParameters query, byte[] body, Executor replyExecutor, CloseHooks closeHooks)
{
    private static final Set<String> NONE = Set.of();

    String queue()
    {
        return routed.queue();
    }

    String handle()
    {
        return routed.handle();
    }

    /** The body's fields, after checking that it has no others (an empty body has none). */
    JsonFields body(final Set<String> fields)
    {
        return JsonFields.ofBody(body).allowOnly(fields);
    }

    /** The query, after checking that it has no other parameters. */
    QueryParameters query(final Set<String> parameters)
    {
        return query.allowOnly(parameters);
    }

    /** Checks the request carries no parameters: no query, and an empty body (or {@code {}}). */
    void takesNothing()
    {
        query(NONE);
        body(NONE);
    }

    /**
     * Runs {@code action} if the request's connection closes before it is answered (at once if it has).
     *
     * @return what to run once it is answered. Event loop thread only, as both are.
     */
    Runnable onClientGone(final Runnable action)
    {
        return closeHooks.add(action);
    }

    /** The reply once the service's future completes, built on the event loop. */
    <T> CompletableFuture<HttpReply> reply(final CompletableFuture<T> result, final Function<T, HttpReply> reply)
    {
        return result.thenApplyAsync(reply, replyExecutor);
    }
}
