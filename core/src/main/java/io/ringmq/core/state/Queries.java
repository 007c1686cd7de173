package io.ringmq.core.state;

import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.QueryKind;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * Read-only questions about queues: list the queues a name pattern matches, list one queue's groups, peek at what a
 * queue holds. Each answer reads the state as it stands and changes nothing, time included, so a Query needs no
 * journal record: a replay without it reaches the same state (see {@code CommandEvent.isQuery}). Rare and allowed to
 * allocate.
 * <p>
 * Not thread-safe: owned by the thread that applies commands.
 */
final class Queries
{
    private final SharedState state;
    private final Declarations declarations;
    private final AdminCommands adminCommands;
    private final QueueFigures figures = new QueueFigures();

    Queries(final SharedState state, final Declarations declarations, final AdminCommands adminCommands)
    {
        this.state = state;
        this.declarations = declarations;
        this.adminCommands = adminCommands;
    }

    /**
     * Answers one Query of a connected session: its frames, then one AdminDone counting them.
     *
     * @param name  QUEUES: a name pattern (see {@link NamePattern}); GROUPS, PEEK: the queue.
     * @param count PEEK: at most this many messages; 0 for all.
     */
    void answer(
        final long sessionId,
        final long correlationId,
        final QueryKind kind,
        final long count,
        final DirectBuffer name,
        final String nameText)
    {
        final OutputSink sink = state.sink;
        if (count < 0)
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT,
                "count=" + count + " is invalid: must be 0 (all) or more");
            return;
        }
        final long answered;
        if (QueryKind.QUEUES == kind)
        {
            answered = listQueues(sessionId, correlationId, nameText);
        }
        else if (QueryKind.GROUPS == kind || QueryKind.PEEK == kind)
        {
            final Queue queue = declarations.existingOrRefused(sessionId, correlationId, name); // never creates one
            if (null == queue)
            {
                return;
            }
            answered = QueryKind.GROUPS == kind ? listGroups(sessionId, correlationId, queue) :
                adminCommands.browse(sessionId, correlationId, queue, "", 0 == count ? Long.MAX_VALUE : count);
        }
        else
        {
            sink.onError(sessionId, correlationId, ErrorCode.INVALID_ARGUMENT, "unknown query " + kind);
            return;
        }
        sink.onAdminDone(sessionId, correlationId, answered);
    }

    private long listQueues(final long sessionId, final long correlationId, final String pattern)
    {
        final List<Queue> all = state.queues.queues();
        long listed = 0;
        for (int i = 0, size = all.size(); i < size; i++)
        {
            final Queue queue = all.get(i);
            if (NamePattern.matches(pattern, queue.name))
            {
                final Queue dlq = state.queues.get(queue.name + QueueStateMachine.DLQ_SUFFIX);
                state.sink.onQueueListed(
                    sessionId, correlationId, figures.wrap(queue), null == dlq ? -1 : dlq.messages.size());
                listed++;
            }
        }
        return listed;
    }

    private long listGroups(final long sessionId, final long correlationId, final Queue queue)
    {
        figures.wrap(queue);
        final int groups = figures.groupCount();
        for (int i = 0; i < groups; i++)
        {
            state.sink.onGroupListed(sessionId, correlationId, figures, i);
        }
        return groups;
    }
}
