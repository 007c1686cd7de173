package io.ringmq.http;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of one JSON object of a request, read by name with their types and ranges checked. Every problem is a 400
 * BAD_REQUEST naming the field by its path in the body ({@code messages[2].priority}). A field given as null reads as
 * one not given.
 */
final class JsonFields implements NamedValues
{
    private static final JsonFields NONE = new JsonFields("", Map.of());

    private final String path;
    private final Map<String, Object> fields;

    private JsonFields(final String path, final Map<String, Object> fields)
    {
        this.path = path;
        this.fields = fields;
    }

    /** A body that must be one JSON object, or empty (no fields). */
    static JsonFields ofBody(final byte[] body)
    {
        final Object value = JsonTree.parse(body);
        return JsonTree.NOTHING == value ? NONE : of("", "the body", value);
    }

    /** Whether the body is empty or only whitespace: no body at all. */
    static boolean isEmpty(final byte[] body)
    {
        for (final byte b : body)
        {
            if (' ' != b && '\t' != b && '\n' != b && '\r' != b)
            {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static JsonFields of(final String path, final String what, final Object value)
    {
        if (!(value instanceof Map))
        {
            throw RefusedRequest.badRequest(what + " must be a JSON object, not " + typeOf(value));
        }
        return new JsonFields(path, (Map<String, Object>)value);
    }

    /** @throws RefusedRequest naming the first field that is none of these. */
    JsonFields allowOnly(final Set<String> names)
    {
        for (final String name : fields.keySet())
        {
            if (!names.contains(name))
            {
                throw RefusedRequest.badRequest("unknown field '" + path + name + "'" + (names.isEmpty() ?
                    ": this route takes none" : " (known: " + String.join(", ", names.stream().sorted().toList()) +
                    ")"));
            }
        }
        return this;
    }

    /** The field's path in the body, for messages. */
    String nameOf(final String name)
    {
        return path + name;
    }

    /** Each field, in body order (for objects whose keys are data, such as headers). */
    Set<Map.Entry<String, Object>> entries()
    {
        return fields.entrySet();
    }

    /** A string, or null when not given. */
    public String text(final String name)
    {
        final Object value = fields.get(name);
        if (null == value || value instanceof String)
        {
            return (String)value;
        }
        throw wrongType(name, "a string", value);
    }

    /** An integer from {@code min} to {@code max}, or null when not given. */
    public Long integer(final String name, final long min, final long max)
    {
        final Object value = fields.get(name);
        if (null == value)
        {
            return null;
        }
        if (!(value instanceof Long) || (Long)value < min || (Long)value > max)
        {
            throw RefusedRequest.badRequest("field '" + path + name + "' must be an integer from " + min + " to " +
                max + ", not " + render(value));
        }
        return (Long)value;
    }

    /** A string as given, or an integer as its decimal digits; null when not given (for settings' spellings). */
    String textOrInteger(final String name)
    {
        final Object value = fields.get(name);
        if (null == value || value instanceof String)
        {
            return (String)value;
        }
        if (value instanceof Long || value instanceof BigInteger)
        {
            return value.toString();
        }
        throw wrongType(name, "a string or an integer", value);
    }

    /** A nested object, or null when not given. */
    JsonFields object(final String name)
    {
        final Object value = fields.get(name);
        return null == value ? null : of(path + name + ".", "field '" + path + name + "'", value);
    }

    /** An array, or null when not given. */
    List<Object> array(final String name)
    {
        final Object value = fields.get(name);
        if (null == value || value instanceof List)
        {
            @SuppressWarnings("unchecked") final List<Object> array = (List<Object>)value;
            return array;
        }
        throw wrongType(name, "an array", value);
    }

    /** Element {@code index} of array {@code name}, which must be an object. */
    static JsonFields element(final String name, final int index, final Object value)
    {
        final String path = name + "[" + index + "]";
        return of(path + ".", path, value);
    }

    private RefusedRequest wrongType(final String name, final String expected, final Object value)
    {
        return RefusedRequest.badRequest("field '" + path + name + "' must be " + expected + ", not " + render(value));
    }

    private static String render(final Object value)
    {
        return value instanceof String ? "a string" : value instanceof Long || value instanceof BigInteger ||
            value instanceof BigDecimal ? value.toString() : typeOf(value);
    }

    private static String typeOf(final Object value)
    {
        if (null == value)
        {
            return "null";
        }
        if (value instanceof Map)
        {
            return "an object";
        }
        if (value instanceof List)
        {
            return "an array";
        }
        if (value instanceof String)
        {
            return "a string";
        }
        return value instanceof Boolean ? value.toString() : "a number";
    }
}
