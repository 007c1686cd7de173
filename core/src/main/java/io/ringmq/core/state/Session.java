package io.ringmq.core.state;

import java.util.ArrayList;

/** A connected client. Owns its consumers: when the session goes, so do they. */
final class Session
{
    final long id;
    /** Aeron session of the client's ingress image; when it goes away, so does this session. */
    final int transportSessionId;
    /** Every consumer, those its pattern subscriptions attached included. */
    final ArrayList<Consumer> consumers = new ArrayList<>();
    /** Its pattern subscriptions, oldest first. */
    final ArrayList<PatternSubscription> patterns = new ArrayList<>();

    Session(final long id, final int transportSessionId)
    {
        this.id = id;
        this.transportSessionId = transportSessionId;
    }

    /**
     * What counts against the bound on consumers per session: consumers subscribed by name and pattern subscriptions
     * (one each, however many queues they attach to, so a queue created later never passes the bound).
     */
    int subscriptionCount()
    {
        int byName = 0;
        for (int i = 0, size = consumers.size(); i < size; i++)
        {
            if (null == consumers.get(i).subscription)
            {
                byName++;
            }
        }
        return byName + patterns.size();
    }
}
