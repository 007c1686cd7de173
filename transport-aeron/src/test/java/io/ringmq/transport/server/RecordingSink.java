package io.ringmq.transport.server;

import io.ringmq.core.ring.CommandEvent;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CommandSink} that keeps every command it takes, stamped as the daemon's ring would (log sequence from 1,
 * time 0), with room for as many commands as the test says.
 */
final class RecordingSink implements CommandSink
{
    private final List<CommandEvent> taken = new ArrayList<>();
    private int room;
    private boolean publishesRefused;

    /** @param room how many commands it takes before it has no room. */
    RecordingSink(final int room)
    {
        this.room = room;
    }

    /** It takes this many more commands. */
    void room(final int room)
    {
        this.room = room;
    }

    void publishesRefused(final boolean publishesRefused)
    {
        this.publishesRefused = publishesRefused;
    }

    /** Commands taken so far. */
    int size()
    {
        return taken.size();
    }

    /** The command taken at this index: a command header, then the frame. */
    CommandEvent get(final int index)
    {
        return taken.get(index);
    }

    public boolean hasCapacity()
    {
        return room > 0;
    }

    public boolean offer(final int transportSessionId, final DirectBuffer frame, final int offset, final int length)
    {
        if (0 == room)
        {
            return false;
        }
        room--;
        final CommandEvent event = new CommandEvent();
        event.set(taken.size() + 1, 0, transportSessionId, 0, frame, offset, length);
        taken.add(event);
        return true;
    }

    public boolean publishesRefused()
    {
        return publishesRefused;
    }
}
