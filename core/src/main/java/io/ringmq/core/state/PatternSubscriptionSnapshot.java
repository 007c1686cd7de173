package io.ringmq.core.state;

import io.ringmq.core.protocol.QueuePattern;

/**
 * The wildcard part of a snapshot (format 11, issue 16): every pattern subscription, oldest first (the order they
 * attach to a queue created later), with what it attaches with and the ids of the consumers it attached, which the
 * queues' groups hold. A snapshot of format 10 or older has none: no run before made any.
 */
final class PatternSubscriptionSnapshot
{
    /** The first snapshot format with this block. */
    static final int SINCE_FORMAT = 11;

    private PatternSubscriptionSnapshot()
    {
    }

    static void write(final StateSnapshot.Writer out, final Sessions sessions)
    {
        out.putInt(sessions.patterns.size());
        for (final PatternSubscription subscription : sessions.patterns)
        {
            out.putLong(subscription.id);
            out.putLong(subscription.sessionId);
            out.putLong(subscription.correlationId);
            out.putString(subscription.pattern.text());
            out.putString(subscription.groupName);
            out.putInt(subscription.prefetch);
            out.putLong(subscription.visibilityTimeoutNs);
            out.putInt(subscription.attached.size());
            for (final Consumer consumer : subscription.attached)
            {
                out.putLong(consumer.id);
            }
        }
    }

    /** Reads what {@link #write} wrote into sessions and consumers read already; nothing for an older format. */
    static void read(final StateSnapshot.Reader in, final Sessions sessions, final SharedState state)
    {
        if (in.format() < SINCE_FORMAT)
        {
            return;
        }
        for (int i = 0, count = in.getCount(); i < count; i++)
        {
            final long id = in.getLong();
            final long sessionId = in.getLong();
            final long correlationId = in.getLong();
            final String text = in.getString();
            final QueuePattern pattern = QueuePattern.parse(text);
            final Session session = sessions.byId.get(sessionId);
            if (null == pattern || null == session)
            {
                throw new IllegalStateException("snapshot corrupt: pattern subscription " + id + " ('" + text +
                    "') of session " + sessionId);
            }
            final PatternSubscription subscription = new PatternSubscription(
                id, sessionId, correlationId, pattern, in.getString(), in.getInt(), in.getLong());
            for (int c = 0, attached = in.getCount(); c < attached; c++)
            {
                final long consumerId = in.getLong();
                final Consumer consumer = state.consumers.get(consumerId);
                if (null == consumer || consumer.sessionId != sessionId)
                {
                    throw new IllegalStateException("snapshot corrupt: pattern subscription " + id +
                        " names consumer " + consumerId + ", which no group of its session has");
                }
                consumer.subscription = subscription;
                subscription.attached.add(consumer);
            }
            sessions.patterns.add(subscription);
            session.patterns.add(subscription);
        }
    }
}
