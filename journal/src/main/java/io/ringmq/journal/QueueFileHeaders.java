package io.ringmq.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Refuses a journal with a queue file ({@code .cq4}) that has no Chronicle header: empty, or zeros where the header
 * goes (a crash while the file was being created, or a file wiped). Chronicle takes such a file for one another process
 * is still creating: a reader waits for it for minutes and then reads nothing, so a start would hang and then come up
 * with none of the journal's commands. Checked before Chronicle opens the directory; the files are only read.
 */
final class QueueFileHeaders
{
    private QueueFileHeaders()
    {
    }

    /** @throws JournalCorruptedException naming the first such file and what to do. */
    static void require(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            return;
        }
        try (Stream<Path> files = Files.list(directory))
        {
            final List<Path> queueFiles = files.filter((path) -> path.getFileName().toString().endsWith(".cq4"))
                .sorted().toList();
            for (final Path file : queueFiles)
            {
                final String problem = problemOf(file);
                if (null != problem)
                {
                    final boolean newest = file.equals(queueFiles.get(queueFiles.size() - 1));
                    throw new JournalCorruptedException(new JournalDamage(-1, file, 0, problem, 0, 0, false),
                        "journal file " + file + " has no Chronicle header (" + problem + "): Chronicle would wait " +
                        "minutes for it and then read none of its records, so start-up stopped. " + (newest ?
                        "It is the newest: if a crash came while it was being created, it never held a record; " :
                        "The records it held are lost; ") + "move it out of " + directory + " and start again (a " +
                        "gap it leaves in the log sequences is then reported, and --repair keeps what comes before)");
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list the journal files in " + directory, ex);
        }
    }

    /** Null when the file starts with a header; else what it holds instead. */
    private static String problemOf(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < Integer.BYTES)
            {
                return size + " bytes long";
            }
            final ByteBuffer header = ByteBuffer.allocate(Integer.BYTES);
            while (header.hasRemaining() && channel.read(header, header.position()) >= 0)
            {
                // read the header word
            }
            return 0 == header.getInt(0) ? "zeros where its header goes, " + size + " bytes long" : null;
        }
    }
}
