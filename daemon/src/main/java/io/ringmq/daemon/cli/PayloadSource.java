package io.ringmq.daemon.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The payloads {@code publish} sends, one at a time: {@code --count} copies of {@code --payload} (or message-1,
 * message-2, ...), or the lines of {@code --payload-file} ({@code -} for stdin), read as they are sent so a file of
 * millions of lines takes no memory.
 */
abstract class PayloadSource implements AutoCloseable
{
    /** The next payload, or null when there is none. */
    abstract byte[] next();

    public void close()
    {
    }

    static PayloadSource counted(final long count, final String payload)
    {
        return new PayloadSource()
        {
            private long n;

            byte[] next()
            {
                if (n == count)
                {
                    return null;
                }
                n++;
                return (null != payload ? payload : "message-" + n).getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    /** @param file a path, or {@code -} for stdin. */
    static PayloadSource lines(final String file)
    {
        try
        {
            final BufferedReader reader = "-".equals(file) ?
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)) :
                Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
            return new PayloadSource()
            {
                byte[] next()
                {
                    try
                    {
                        final String line = reader.readLine();
                        return null == line ? null : line.getBytes(StandardCharsets.UTF_8);
                    }
                    catch (final IOException ex)
                    {
                        throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
                    }
                }

                public void close()
                {
                    try
                    {
                        reader.close();
                    }
                    catch (final IOException ignore)
                    {
                        // read to its end or failed already: nothing more to do
                    }
                }
            };
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }
}
