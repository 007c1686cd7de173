package io.ringmq.daemon.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A test's HTTP client of the HTTP face: requests with JSON bodies, answers read into maps and lists. */
public final class HttpJson
{
    private static final JsonFactory JSON = new JsonFactory();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    public HttpJson(final int port)
    {
        this.base = "http://127.0.0.1:" + port;
    }

    public Answer send(final String method, final String path, final String jsonBody)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, null == jsonBody ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofString(jsonBody));
        if (null != jsonBody)
        {
            request.header("Content-Type", "application/json");
        }
        try
        {
            final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    public record Answer(int status, String body)
    {
        public Map<String, Object> json()
        {
            try (JsonParser parser = JSON.createParser(body))
            {
                parser.nextToken();
                @SuppressWarnings("unchecked")
                final Map<String, Object> map = (Map<String, Object>)read(parser);
                return map;
            }
            catch (final IOException ex)
            {
                throw new AssertionError("not JSON: " + body, ex);
            }
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> list(final String field)
        {
            return (List<Map<String, Object>>)json().get(field);
        }

        public String toString()
        {
            return status + " " + body;
        }
    }

    private static Object read(final JsonParser parser) throws IOException
    {
        final JsonToken token = parser.currentToken();
        switch (token)
        {
            case START_OBJECT:
            {
                final Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, read(parser));
                }
                return map;
            }
            case START_ARRAY:
            {
                final List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY)
                {
                    list.add(read(parser));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + token);
        }
    }
}
