package io.ringmq.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tests' own reading of a reply body with jackson-core (not the face's reader, so a bug there cannot hide one in
 * the replies): objects as maps in field order, arrays as lists, integers as Long, strings, booleans, null.
 */
final class TestJson
{
    private static final JsonFactory JSON = new JsonFactory();

    private TestJson()
    {
    }

    static Map<String, Object> object(final String text)
    {
        try (JsonParser parser = JSON.createParser(text))
        {
            final Object value = value(parser, parser.nextToken());
            if (null != parser.nextToken())
            {
                throw new AssertionError("more than one JSON value: " + text);
            }
            if (!(value instanceof Map))
            {
                throw new AssertionError("not a JSON object: " + text);
            }
            @SuppressWarnings("unchecked") final Map<String, Object> object = (Map<String, Object>)value;
            return object;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("not JSON: " + text, ex);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> at(final Map<String, Object> object, final String field, final int index)
    {
        return ((List<Map<String, Object>>)object.get(field)).get(index);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(final Map<String, Object> object, final String field)
    {
        return (List<Object>)object.get(field);
    }

    private static Object value(final JsonParser parser, final JsonToken token) throws IOException
    {
        switch (token)
        {
            case START_OBJECT ->
            {
                final Map<String, Object> object = new LinkedHashMap<>();
                for (JsonToken next = parser.nextToken(); JsonToken.END_OBJECT != next; next = parser.nextToken())
                {
                    final String name = parser.currentName();
                    object.put(name, value(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY ->
            {
                final List<Object> array = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); JsonToken.END_ARRAY != next; next = parser.nextToken())
                {
                    array.add(value(parser, next));
                }
                return array;
            }
            case VALUE_STRING ->
            {
                return parser.getText();
            }
            case VALUE_NUMBER_INT ->
            {
                return parser.getLongValue();
            }
            case VALUE_TRUE, VALUE_FALSE ->
            {
                return parser.getBooleanValue();
            }
            case VALUE_NULL ->
            {
                return null;
            }
            default -> throw new AssertionError("unexpected " + token);
        }
    }
}
