package io.ringmq.daemon.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Closes what a test opened (daemons, clients), newest first, once the test ends, passed or not. Register it as an
 * instance field with {@code @RegisterExtension}.
 */
public final class Closer implements AfterEachCallback
{
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** @return the closeable, closed after the test. */
    public <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(closeable);
        return closeable;
    }

    public void afterEach(final ExtensionContext context) throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
        closeables.clear();
    }
}
