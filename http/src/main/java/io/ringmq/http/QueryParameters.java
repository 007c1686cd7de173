package io.ringmq.http;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request's query parameters (decoded by Netty's {@code QueryStringDecoder}), read by name as {@link JsonFields}
 * reads a body: unknown, repeated or ill-typed ones are a 400 naming the parameter.
 */
final class QueryParameters implements NamedValues
{
    private final Map<String, List<String>> parameters;

    QueryParameters(final Map<String, List<String>> parameters)
    {
        this.parameters = parameters;
    }

    boolean isEmpty()
    {
        return parameters.isEmpty();
    }

    /** @throws RefusedRequest naming the first parameter that is none of these. */
    QueryParameters allowOnly(final Set<String> names)
    {
        for (final String name : parameters.keySet())
        {
            if (!names.contains(name))
            {
                throw RefusedRequest.badRequest("unknown query parameter '" + name + "'" + (names.isEmpty() ?
                    ": this route takes none" : " (known: " + String.join(", ", names.stream().sorted().toList()) +
                    ")"));
            }
        }
        return this;
    }

    /** The value, or null when not given. */
    public String text(final String name)
    {
        final List<String> values = parameters.get(name);
        if (null == values)
        {
            return null;
        }
        if (values.size() > 1)
        {
            throw RefusedRequest.badRequest("query parameter '" + name + "' is given " + values.size() + " times");
        }
        return values.get(0);
    }

    /** An integer from {@code min} to {@code max}, or null when not given. */
    public Long integer(final String name, final long min, final long max)
    {
        final String text = text(name);
        if (null == text)
        {
            return null;
        }
        final long value;
        try
        {
            value = Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw notInRange(name, min, max, text);
        }
        if (value < min || value > max)
        {
            throw notInRange(name, min, max, text);
        }
        return value;
    }

    /** true or false, or null when not given. */
    Boolean bool(final String name)
    {
        final String text = text(name);
        if (null == text)
        {
            return null;
        }
        return switch (text)
        {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw RefusedRequest.badRequest("query parameter '" + name + "' must be true or false, not '" +
                text + "'");
        };
    }

    private static RefusedRequest notInRange(final String name, final long min, final long max, final String text)
    {
        return RefusedRequest.badRequest("query parameter '" + name + "' must be an integer from " + min + " to " +
            max + ", not '" + text + "'");
    }
}
