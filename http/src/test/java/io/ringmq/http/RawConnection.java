package io.ringmq.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One TCP connection to the face, written and read byte for byte: for what an HTTP client library hides (which
 * connection a request went on, pipelined requests, malformed ones). Reads block up to a deadline, never sleep.
 */
final class RawConnection implements AutoCloseable
{
    /** A response as read off the wire; header names lower-cased. */
    record Response(int status, Map<String, String> headers, String body)
    {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConnection(final int port) throws IOException
    {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int)HttpFaceFixture.TIMEOUT.toMillis());
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Writes the text as it is (lines must end with CRLF). */
    RawConnection write(final String request) throws IOException
    {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    static String request(final String method, final String path, final String body)
    {
        return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" +
            (null == body ? "" : "Content-Type: application/json\r\nContent-Length: " +
            body.getBytes(StandardCharsets.UTF_8).length + "\r\n") + "\r\n" + (null == body ? "" : body);
    }

    /** The next response: status line, headers, and a body of its Content-Length. */
    Response read() throws IOException
    {
        final Response head = readHead();
        final int length = Integer.parseInt(head.headers().getOrDefault("content-length", "0"));
        return new Response(head.status(), head.headers(), new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    /** The next response's status line and headers only, as the answer to a HEAD has them; its body is empty. */
    Response readHead() throws IOException
    {
        final String statusLine = line();
        final int status = Integer.parseInt(statusLine.split(" ")[1]);
        final Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line())
        {
            final int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Response(status, headers, "");
    }

    /** True when the server closed the connection (the next read sees its end). */
    boolean closedByServer() throws IOException
    {
        return -1 == in.read();
    }

    private String line() throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); '\n' != b; b = in.read())
        {
            if (-1 == b)
            {
                throw new IOException("the server closed the connection mid-response");
            }
            if ('\r' != b)
            {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    public void close() throws IOException
    {
        socket.close();
    }
}
