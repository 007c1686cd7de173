package io.ringmq.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.StringJoiner;

/**
 * Matches a request's method and path to a {@link Route}. The first path template that fits decides the answer: its
 * route for the method, or 405 with the methods it takes; no template fits: 404. A GET route takes HEAD too, as HTTP
 * asks: it is served as the GET, and Netty's server codec leaves the body out of the answer to a HEAD. A queue or
 * group name in the path is checked (400 INVALID_NAME) only once the route is known. Stateless: shared by every
 * connection.
 */
final class Router
{
    private static final Route[] ROUTES = Route.values();

    private Router()
    {
    }

    /**
     * @param rawPath the path as the request line has it (percent-encoded, no query).
     * @throws RefusedRequest 404 NOT_FOUND, 405 METHOD_NOT_ALLOWED (with what to allow), 400 for a bad name or path.
     */
    static RoutedRequest route(final HttpMethod method, final String rawPath)
    {
        final String[] segments = PathSegments.split(rawPath);
        for (final String segment : segments)
        {
            if (segment.isEmpty())
            {
                throw RefusedRequest.notFound(rawPath); // "//" or a trailing "/" names nothing
            }
        }
        String template = null;
        final StringJoiner allow = new StringJoiner(", ");
        for (final Route route : ROUTES)
        {
            if ((null == template || template.equals(route.path())) && fits(route.segments(), segments))
            {
                template = route.path();
                if (takes(route, method))
                {
                    try
                    {
                        return bind(route, segments);
                    }
                    catch (final RefusedRequest ex)
                    {
                        throw ex.of(route); // counted under the route it matched, not as "none"
                    }
                }
                allow.add(route.method().name());
                if (HttpMethod.GET.equals(route.method()))
                {
                    allow.add(HttpMethod.HEAD.name());
                }
            }
        }
        if (null == template)
        {
            throw RefusedRequest.notFound(rawPath);
        }
        throw RefusedRequest.methodNotAllowed(method.name(), template, allow.toString());
    }

    private static boolean takes(final Route route, final HttpMethod method)
    {
        return route.method().equals(method) ||
            (HttpMethod.HEAD.equals(method) && HttpMethod.GET.equals(route.method()));
    }

    private static boolean fits(final String[] template, final String[] segments)
    {
        if (template.length != segments.length)
        {
            return false;
        }
        for (int i = 0; i < template.length; i++)
        {
            if (!isPlaceholder(template[i]) && !template[i].equals(segments[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlaceholder(final String segment)
    {
        return Route.QUEUE.equals(segment) || Route.GROUP.equals(segment) || Route.HANDLE.equals(segment);
    }

    private static RoutedRequest bind(final Route route, final String[] segments)
    {
        String queue = null;
        String group = null;
        String handle = null;
        final String[] template = route.segments();
        for (int i = 0; i < template.length; i++)
        {
            if (Route.QUEUE.equals(template[i]))
            {
                queue = Names.checked("queue", segments[i]);
            }
            else if (Route.GROUP.equals(template[i]))
            {
                group = Names.checked("group", segments[i]);
            }
            else if (Route.HANDLE.equals(template[i]))
            {
                handle = segments[i];
            }
        }
        return new RoutedRequest(route, queue, group, handle);
    }
}
