package io.ringmq.http;

/** Parameters read by name, from a JSON body ({@link JsonFields}) or a query ({@link QueryParameters}) alike. */
interface NamedValues
{
    /** The value as text, or null when not given. */
    String text(String name);

    /** An integer from {@code min} to {@code max}, or null when not given. */
    Long integer(String name, long min, long max);
}
