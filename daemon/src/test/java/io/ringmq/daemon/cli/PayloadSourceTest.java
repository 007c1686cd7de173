package io.ringmq.daemon.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A payload file that cannot be read says why in words, without Java's exception names. */
class PayloadSourceTest
{
    @TempDir
    Path tempDir;

    @Test
    void aLineThatIsNotUtf8IsNamedByItsNumber() throws IOException
    {
        final Path file = tempDir.resolve("mixed.txt");
        Files.write(file, new byte[] {'o', 'k', '1', '\n', 'o', 'k', '2', '\n', (byte)0xff, '\n'});
        try (PayloadSource lines = PayloadSource.lines(file.toString()))
        {
            assertArrayEquals("ok1".getBytes(StandardCharsets.UTF_8), lines.next(), "the lines before it are sent");
            assertArrayEquals("ok2".getBytes(StandardCharsets.UTF_8), lines.next());
            final IllegalStateException refused = assertThrows(IllegalStateException.class, lines::next);
            assertEquals(file + " line 3 is not UTF-8 text (each line is one text payload; a binary payload needs " +
                "the Java client or the HTTP face's bodyBase64)", refused.getMessage());
        }
    }

    @Test
    void aMissingFileOrADirectoryIsSaidSo()
    {
        final Path missing = tempDir.resolve("nonexistent");
        assertEquals("cannot read " + missing + ": no such file",
            assertThrows(IllegalStateException.class, () -> PayloadSource.lines(missing.toString())).getMessage());
        assertEquals("cannot read " + tempDir + ": it is a directory",
            assertThrows(IllegalStateException.class, () -> readAll(tempDir.toString())).getMessage());
    }

    @Test
    void eachLineIsOnePayload() throws IOException
    {
        final Path file = tempDir.resolve("ok.txt");
        Files.writeString(file, "a\r\nb c\n\nlast é", StandardCharsets.UTF_8);
        try (PayloadSource lines = PayloadSource.lines(file.toString()))
        {
            assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), lines.next(), "CRLF: the CR is not payload");
            assertArrayEquals("b c".getBytes(StandardCharsets.UTF_8), lines.next());
            assertArrayEquals(new byte[0], lines.next(), "an empty line is an empty payload");
            assertArrayEquals("last é".getBytes(StandardCharsets.UTF_8), lines.next(), "no line feed at the end");
            assertEquals(null, lines.next());
        }
    }

    private static void readAll(final String file)
    {
        try (PayloadSource lines = PayloadSource.lines(file))
        {
            while (null != lines.next())
            {
                // to the end
            }
        }
    }
}
