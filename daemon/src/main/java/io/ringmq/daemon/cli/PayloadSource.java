package io.ringmq.daemon.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

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

    /**
     * Each line (ended by a line feed, a carriage return before it dropped) is one payload, checked to be UTF-8 text
     * line by line, so the lines before a bad one are sent and the bad one is named by its number.
     *
     * @param file a path, or {@code -} for stdin.
     */
    static PayloadSource lines(final String file)
    {
        try
        {
            final InputStream in = "-".equals(file) ? System.in : Files.newInputStream(Path.of(file));
            return new PayloadSource()
            {
                private final byte[] chunk = new byte[1 << 16];
                private final ByteArrayOutputStream line = new ByteArrayOutputStream();
                private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
                private int position;
                private int limit;
                private boolean ended;
                private long lines;

                byte[] next()
                {
                    try
                    {
                        line.reset();
                        boolean found = false;
                        while (!found)
                        {
                            if (position == limit && !fill())
                            {
                                if (0 == line.size())
                                {
                                    return null;
                                }
                                break; // a last line without a line feed
                            }
                            int end = position;
                            while (end < limit && '\n' != chunk[end])
                            {
                                end++;
                            }
                            line.write(chunk, position, end - position);
                            found = end < limit;
                            position = found ? end + 1 : end;
                        }
                        final byte[] payload = withoutCarriageReturn(line.toByteArray());
                        utf8.reset().decode(ByteBuffer.wrap(payload)); // checks only: the bytes are sent as they are
                        lines++;
                        return payload;
                    }
                    catch (final IOException ex)
                    {
                        throw unreadable(file, lines, ex);
                    }
                }

                private boolean fill() throws IOException
                {
                    if (ended)
                    {
                        return false;
                    }
                    final int read = in.read(chunk);
                    ended = read < 0;
                    position = 0;
                    limit = Math.max(0, read);
                    return read > 0 || (0 == read && fill());
                }

                public void close()
                {
                    try
                    {
                        in.close();
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
            throw unreadable(file, 0, ex);
        }
    }

    private static byte[] withoutCarriageReturn(final byte[] line)
    {
        final int length = line.length;
        return length > 0 && '\r' == line[length - 1] ? Arrays.copyOf(line, length - 1) : line;
    }

    /** A failure worded for the command line (its message is printed as it is). */
    private static IllegalStateException unreadable(final String file, final long linesRead, final IOException ex)
    {
        final String name = "-".equals(file) ? "stdin" : file;
        final String why;
        if (ex instanceof CharacterCodingException)
        {
            why = name + " line " + (linesRead + 1) + " is not UTF-8 text (each line is one text payload; a " +
                "binary payload needs the Java client or the HTTP face's bodyBase64)";
        }
        else if (ex instanceof NoSuchFileException)
        {
            why = "cannot read " + name + ": no such file";
        }
        else if (ex instanceof AccessDeniedException)
        {
            why = "cannot read " + name + ": permission denied";
        }
        else if (Files.isDirectory(Path.of(file)))
        {
            why = "cannot read " + name + ": it is a directory";
        }
        else
        {
            why = "cannot read " + name + ": " + ex.getMessage();
        }
        return new IllegalStateException(why, ex);
    }
}
