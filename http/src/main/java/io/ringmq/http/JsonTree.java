package io.ringmq.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A request body read with jackson-core's streaming parser into plain values: an object is a
 * {@code Map<String, Object>} in field order, an array a {@code List<Object>}, a string a String, an integer a Long
 * (a BigInteger past a long's range), a fraction a BigDecimal, true/false a Boolean, null null. Bodies are small and
 * bounded by the face's body limit, so a tree is simpler than a reader per body shape and costs little.
 */
final class JsonTree
{
    /** What an empty body parses to: distinct from a JSON null. */
    static final Object NOTHING = new Object();

    private static final JsonFactory JSON = new JsonFactory();
    /** A place as the parser writes it: "[Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 7]". */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*line: (\\d+), column: (\\d+)\\]");

    private JsonTree()
    {
    }

    /**
     * @return the one value the body holds; {@link #NOTHING} when it holds only whitespace.
     * @throws RefusedRequest BAD_REQUEST for malformed JSON, a field given twice, or more than one value.
     */
    static Object parse(final byte[] body)
    {
        try (JsonParser parser = JSON.createParser(body))
        {
            final JsonToken first = parser.nextToken();
            if (null == first)
            {
                return NOTHING;
            }
            final Object value = value(parser, first);
            if (null != parser.nextToken())
            {
                throw RefusedRequest.badRequest("malformed JSON: more than one value in the body");
            }
            return value;
        }
        catch (final JsonProcessingException ex)
        {
            final JsonLocation at = ex.getLocation();
            throw RefusedRequest.badRequest("malformed JSON: " + problem(ex) +
                (null == at ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        catch (final IOException ex)
        {
            throw RefusedRequest.badRequest("unreadable body: " + ex.getMessage()); // an array in memory: not expected
        }
    }

    /**
     * What the parser found wrong, in its words, each place it names as "line 1, column 7" without how it keeps its
     * input ({@code [Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 7]}); the caller adds where
     * it stopped.
     */
    private static String problem(final JsonProcessingException ex)
    {
        if (ex instanceof JsonEOFException)
        {
            return "the body ends before its JSON value does";
        }
        String text = String.valueOf(ex.getOriginalMessage());
        final int newline = text.indexOf('\n');
        if (newline >= 0)
        {
            text = text.substring(0, newline);
        }
        return SOURCE.matcher(text).replaceAll("line $1, column $2").strip();
    }

    private static Object value(final JsonParser parser, final JsonToken token) throws IOException
    {
        return switch (token)
        {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> JsonParser.NumberType.BIG_INTEGER == parser.getNumberType() ?
                parser.getBigIntegerValue() : (Object)parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw RefusedRequest.badRequest("malformed JSON: unexpected " + token);
        };
    }

    private static List<Object> array(final JsonParser parser) throws IOException
    {
        final List<Object> array = new ArrayList<>();
        for (JsonToken next = parser.nextToken(); JsonToken.END_ARRAY != next; next = parser.nextToken())
        {
            array.add(value(parser, next));
        }
        return array;
    }

    private static Map<String, Object> object(final JsonParser parser) throws IOException
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        for (JsonToken next = parser.nextToken(); JsonToken.END_OBJECT != next; next = parser.nextToken())
        {
            final String name = parser.currentName();
            final Object value = value(parser, parser.nextToken());
            if (fields.containsKey(name))
            {
                throw RefusedRequest.badRequest("malformed JSON: field '" + name + "' is given twice");
            }
            fields.put(name, value);
        }
        return fields;
    }
}
