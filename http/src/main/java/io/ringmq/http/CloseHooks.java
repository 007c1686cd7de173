package io.ringmq.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a connection's waiting requests must do if it closes before they are answered (a long poll stops waiting and
 * gives back what it holds). A hook is removed once its request is answered, so a keep-alive connection that serves
 * many requests keeps none of theirs.
 * <p>
 * Not thread-safe: owned by the connection's event loop.
 */
final class CloseHooks
{
    private static final Runnable NOTHING = () ->
    {
    };

    private final Set<Runnable> hooks = new HashSet<>(); // identity: each hook is its own object
    private boolean closed;

    /**
     * Runs {@code hook} when the connection closes, or at once if it has.
     *
     * @return what removes it again, to run once the request is answered.
     */
    Runnable add(final Runnable hook)
    {
        if (closed)
        {
            hook.run();
            return NOTHING;
        }
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** The connection closed: runs every hook still there. */
    void close()
    {
        closed = true;
        final List<Runnable> due = new ArrayList<>(hooks);
        hooks.clear();
        due.forEach(Runnable::run);
    }
}
