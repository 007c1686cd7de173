package io.ringmq.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Serves one request: routes it, reads it, calls the service, and gives the reply as a future. Stateless apart from
 * the service: shared by every connection, called on their event loops. A request that is refused before the service
 * is asked throws {@link RefusedRequest}.
 */
final class Endpoints
{
    private final QueueService service;
    private final FaceMetrics metrics = new FaceMetrics();
    private final QueueEndpoints queues;
    private final MessageEndpoints messages;
    private final DeadLetterEndpoints deadLetters;

    Endpoints(final QueueService service)
    {
        this.service = service;
        this.queues = new QueueEndpoints(service);
        this.messages = new MessageEndpoints(service);
        this.deadLetters = new DeadLetterEndpoints(service);
    }

    /**
     * @param uri           the request target as the request line has it.
     * @param replyExecutor where the reply is built once the service answers.
     * @param closeHooks    the request's connection's: what a waiting request does if it closes.
     */
    CompletableFuture<HttpReply> serve(final HttpMethod method, final String uri, final byte[] body,
        final Executor replyExecutor, final CloseHooks closeHooks)
    {
        final QueryStringDecoder target = new QueryStringDecoder(uri);
        Route route = null;
        CompletableFuture<HttpReply> reply;
        try
        {
            final RoutedRequest routed = Router.route(method, target.rawPath());
            route = routed.route();
            reply = serve(routed, new Exchange(routed, new QueryParameters(target.parameters()), body, replyExecutor,
                closeHooks));
        }
        catch (final RuntimeException ex)
        {
            route = ex instanceof RefusedRequest refused && null == route ? refused.route() : route;
            reply = CompletableFuture.failedFuture(ex);
        }
        final Route answered = route;
        return reply.whenComplete((done, failure) ->
            metrics.answered(answered, null == failure ? done.status() : ErrorReplies.describe(failure).status()));
    }

    private CompletableFuture<HttpReply> serve(final RoutedRequest routed, final Exchange exchange)
    {
        return switch (routed.route())
        {
            case HEALTH -> queues.health(exchange);
            case METRICS -> metrics(exchange);
            case LIST_QUEUES -> queues.list(exchange);
            case QUEUE_STATS -> queues.stats(exchange);
            case DECLARE_QUEUE -> queues.declare(exchange);
            case DELETE_QUEUE -> queues.delete(exchange);
            case PURGE_QUEUE -> queues.purge(exchange);
            case LIST_GROUPS -> queues.groups(exchange);
            case DELETE_GROUP -> queues.deleteGroup(exchange);
            case SEND -> messages.send(exchange);
            case SEND_BATCH -> messages.sendBatch(exchange);
            case DELETE_BATCH -> messages.deleteBatch(exchange);
            case RECEIVE -> messages.receive(exchange);
            case DELETE_MESSAGE -> messages.delete(exchange);
            case CHANGE_VISIBILITY -> messages.changeVisibility(exchange);
            case REJECT_MESSAGE -> messages.reject(exchange);
            case LIST_DEAD_LETTERS -> deadLetters.list(exchange);
            case REDRIVE -> deadLetters.redrive(exchange);
        };
    }

    /** GET /metrics: the face's Prometheus metrics, in the text format. */
    private CompletableFuture<HttpReply> metrics(final Exchange exchange)
    {
        exchange.takesNothing();
        return exchange.reply(ServiceCalls.call(service::load),
            (load) -> HttpReply.ok(metrics.scrape(load, service.connected()), FaceMetrics.CONTENT_TYPE));
    }
}
