package io.ringmq.client;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a client looks for the daemon when told nothing: {@code -Dringmq.aeron.dir} if set, else the daemon's own
 * default ({@code /dev/shm/ringmq-<user>}, or {@code <java.io.tmpdir>/ringmq-<user>} without /dev/shm). The client
 * artifact does not carry the daemon's config module, so this is its own copy of that one default; a daemon test
 * holds the two together.
 */
public final class DefaultAeronDirectory
{
    /** The property the daemon reads too; set, it wins over the default. */
    public static final String PROPERTY = "ringmq.aeron.dir";

    private DefaultAeronDirectory()
    {
    }

    public static String resolve()
    {
        final String property = System.getProperty(PROPERTY);
        if (null != property && !property.isBlank())
        {
            // As the daemon reads it: only "~" and "~/..." mean the user's home.
            return property.equals("~") || property.startsWith("~/") ?
                System.getProperty("user.home") + property.substring(1) : property;
        }
        final Path shm = Path.of("/dev/shm");
        final String parent = Files.isDirectory(shm) ? shm.toString() : System.getProperty("java.io.tmpdir");
        return Path.of(parent, "ringmq-" + System.getProperty("user.name")).toString();
    }
}
