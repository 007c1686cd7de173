package io.ringmq.journal;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Names for a journal directory moved aside, or built, next to the live one: {@code <name>.<why>-<UTC time>}, e.g.
 * {@code journal.damaged-20261123-221503}. Nothing that has been journaled is deleted; it is kept under such a name.
 */
public final class BesideJournal
{
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private BesideJournal()
    {
    }

    /** The current UTC time as the names carry it; one stamp can name several directories of one operation. */
    public static String stamp()
    {
        return ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
    }

    /** {@code <directory>.<why>-<stamp>}, beside {@code directory}. */
    public static Path path(final Path directory, final String why, final String stamp)
    {
        return directory.resolveSibling(directory.getFileName() + "." + why + "-" + stamp);
    }
}
