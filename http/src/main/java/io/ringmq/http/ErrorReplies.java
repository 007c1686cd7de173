package io.ringmq.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.state.QueueStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What the client is told when a request fails: a status and {@code {"error": CODE, "message": ...}}. The daemon's
 * refusals keep their {@link ErrorCode} name and get the status that says whose move it is (400 fix the request, 404
 * no such thing, 409 the state is in the way, 413 too big, 429 a limit, try later, 503/504 the daemon); a failure on
 * the client's side (no daemon) is 503 UNAVAILABLE. Only what nobody expected is a 500 INTERNAL_ERROR, and logged.
 * Stateless.
 */
final class ErrorReplies
{
    static final String UNAVAILABLE = "UNAVAILABLE";
    static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    /** What the face says instead of the daemon's UNKNOWN_QUEUE hint for its Java clients. */
    private static final String HTTP_HINT = " (PUT /queues/{queue} creates it, as a send does)";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);
    private static final Map<ErrorCode, HttpResponseStatus> STATUS_BY_CODE = new EnumMap<>(ErrorCode.class);

    static
    {
        status(HttpResponseStatus.BAD_REQUEST,
            ErrorCode.INVALID_ARGUMENT, ErrorCode.INVALID_NAME, ErrorCode.INVALID_FILTER, ErrorCode.MALFORMED_FRAME);
        status(HttpResponseStatus.NOT_FOUND, ErrorCode.UNKNOWN_QUEUE, ErrorCode.UNKNOWN_GROUP);
        status(HttpResponseStatus.CONFLICT, ErrorCode.SETTINGS_CONFLICT, ErrorCode.HAS_CONSUMERS);
        status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ErrorCode.MESSAGE_TOO_LARGE, ErrorCode.HEADERS_TOO_LARGE);
        status(HttpResponseStatus.TOO_MANY_REQUESTS, ErrorCode.QUEUE_FULL, ErrorCode.TOO_MANY_QUEUES,
            ErrorCode.TOO_MANY_CONSUMERS, ErrorCode.TOO_MANY_SESSIONS, ErrorCode.TOO_MANY_CONNECTS);
        status(HttpResponseStatus.INSUFFICIENT_STORAGE, ErrorCode.STORAGE_FULL);
        status(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.NOT_PRIMARY);
        status(HttpResponseStatus.GATEWAY_TIMEOUT, ErrorCode.REQUEST_TIMEOUT);
    }

    /** A failure as the client sees it. */
    record Failure(HttpResponseStatus status, String code, String message, String allow)
    {
        HttpReply reply()
        {
            return new HttpReply(status, JsonBody.error(code, message), allow);
        }
    }

    private ErrorReplies()
    {
    }

    private static void status(final HttpResponseStatus status, final ErrorCode... codes)
    {
        for (final ErrorCode code : codes)
        {
            STATUS_BY_CODE.put(code, status);
        }
    }

    /** The status a daemon's error code is answered with: 500 for one not in the table. */
    static HttpResponseStatus statusOf(final ErrorCode code)
    {
        return STATUS_BY_CODE.getOrDefault(code, HttpResponseStatus.INTERNAL_SERVER_ERROR);
    }

    static HttpReply reply(final Throwable failure)
    {
        return describe(failure).reply();
    }

    /** @param failure as a future failed, wrapped or not. */
    static Failure describe(final Throwable failure)
    {
        final Throwable cause = unwrap(failure);
        if (cause instanceof RefusedRequest refused)
        {
            return new Failure(refused.status(), refused.code(), refused.getMessage(), refused.allow());
        }
        if (cause instanceof ReceiptHandleException handle)
        {
            return handle.malformed() ?
                failure(HttpResponseStatus.BAD_REQUEST, "INVALID_RECEIPT_HANDLE", handle) :
                failure(HttpResponseStatus.GONE, "RECEIPT_HANDLE_NOT_CURRENT", handle);
        }
        if (cause instanceof RingmqException refusal)
        {
            return daemon(refusal);
        }
        if (cause instanceof IllegalArgumentException)
        {
            return failure(HttpResponseStatus.BAD_REQUEST, RefusedRequest.BAD_REQUEST, cause);
        }
        if (cause instanceof IllegalStateException)
        {
            return failure(HttpResponseStatus.SERVICE_UNAVAILABLE, UNAVAILABLE, cause);
        }
        LOG.error("a request failed unexpectedly", cause);
        return failure(HttpResponseStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR, cause);
    }

    private static Failure daemon(final RingmqException refusal)
    {
        final ErrorCode code = refusal.code();
        if (null == code)
        {
            return failure(HttpResponseStatus.SERVICE_UNAVAILABLE, UNAVAILABLE, refusal);
        }
        final HttpResponseStatus status = statusOf(code);
        if (HttpResponseStatus.INTERNAL_SERVER_ERROR == status)
        {
            LOG.warn("the daemon refused a request with {}: {}", code, refusal.getMessage());
        }
        if (ErrorCode.UNKNOWN_QUEUE == code && null != refusal.getMessage())
        {
            // The daemon's hint is for its Java clients: say what an HTTP client can do instead.
            final String message = refusal.getMessage();
            final int hint = message.indexOf(QueueStateMachine.UNKNOWN_QUEUE_CREATE_HINT);
            final String withoutHint = hint < 0 ? message : message.substring(0, hint);
            return new Failure(status, code.name(), withoutHint + HTTP_HINT, null);
        }
        return failure(status, code.name(), refusal);
    }

    private static Failure failure(final HttpResponseStatus status, final String code, final Throwable cause)
    {
        final String message = cause.getMessage();
        return new Failure(status, code, null == message ? cause.getClass().getSimpleName() : message, null);
    }

    private static Throwable unwrap(final Throwable failure)
    {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) &&
            null != cause.getCause())
        {
            cause = cause.getCause();
        }
        return cause;
    }
}
