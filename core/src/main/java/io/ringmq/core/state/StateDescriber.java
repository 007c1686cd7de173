package io.ringmq.core.state;

import io.ringmq.codecs.DeadLetterReason;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;


/**
 * Writes the whole state of a {@link QueueStateMachine} as text, deterministically: two machines are in the same
 * state exactly when their descriptions are equal. Used to check that replaying a journal rebuilds the state it
 * recorded (and, later, that a snapshot restores it).
 * <p>
 * Everything that can change what the machine does next is in it; hash maps are printed in key order, lists in
 * their own order (which matters: round-robin, redelivery FIFO, queue and group creation order). Not for the hot
 * path: it allocates freely.
 */
final class StateDescriber
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private StateDescriber()
    {
    }

    static String describe(
        final long nextSessionId,
        final long nextConsumerId,
        final long nextGroupId,
        final long lastLogSequence,
        final long nowNs,
        final QueuePolicies policies,
        final boolean followsVersion5Rules,
        final ClientLimits clientLimits,
        final Long2ObjectHashMap<Session> sessions,
        final Long2ObjectHashMap<Consumer> consumers,
        final QueueIndex queues,
        final DeliveryTimers timers)
    {
        final StringBuilder out = new StringBuilder(1024);
        out.append("next session=").append(nextSessionId)
            .append(" consumer=").append(nextConsumerId)
            .append(" group=").append(nextGroupId).append('\n');
        out.append("log sequence=").append(lastLogSequence).append(" nowNs=").append(nowNs).append('\n');
        out.append("defaults ").append(policies.defaults()).append('\n');
        out.append("run mergesRules=").append(policies.mergesRules())
            .append(" followsVersion5Rules=").append(followsVersion5Rules).append(' ').append(clientLimits)
            .append('\n');
        for (final QueuePolicies.Rule rule : policies.rules())
        {
            out.append("rule ").append(rule.pattern()).append(' ').append(rule.policy()).append('\n');
        }
        out.append("timers pending=").append(timers.pending()).append('\n');

        for (final long sessionId : SortedKeys.of(sessions))
        {
            final Session session = sessions.get(sessionId);
            out.append("session id=").append(session.id)
                .append(" key=").append(sessionId)
                .append(" transport=").append(session.transportSessionId)
                .append(" consumers=[");
            for (int i = 0; i < session.consumers.size(); i++)
            {
                out.append(i == 0 ? "" : ",").append(session.consumers.get(i).id);
            }
            out.append("]\n");
            for (final PatternSubscription subscription : session.patterns)
            {
                out.append("  pattern id=").append(subscription.id)
                    .append(" corr=").append(subscription.correlationId)
                    .append(' ').append(subscription.pattern.text())
                    .append(" group=").append(subscription.groupName)
                    .append(" prefetch=").append(subscription.prefetch)
                    .append(" timeoutNs=").append(subscription.visibilityTimeoutNs)
                    .append(" attached=[");
                for (int i = 0; i < subscription.attached.size(); i++)
                {
                    out.append(i == 0 ? "" : ",").append(subscription.attached.get(i).id);
                }
                out.append("]\n");
            }
        }

        out.append("consumer index=[");
        final long[] consumerIds = SortedKeys.of(consumers);
        for (int i = 0; i < consumerIds.length; i++)
        {
            final Consumer consumer = consumers.get(consumerIds[i]);
            out.append(i == 0 ? "" : ",").append(consumerIds[i])
                .append("->").append(consumer.id).append('@').append(consumer.group.id);
        }
        out.append("]\n");

        for (final Queue queue : queues.queues())
        {
            describeQueue(out, queue, timers);
        }
        return out.toString();
    }

    private static void describeQueue(final StringBuilder out, final Queue queue, final DeliveryTimers timers)
    {
        out.append("queue name=").append(queue.name).append(" nextSequence=").append(queue.nextSequence)
            .append(" retained=").append(queue.messages.size()).append(" bytes=").append(queue.messages.bytes())
            .append(" expired=").append(queue.expired).append(" overflowed=").append(queue.overflowed)
            .append(" dropped=").append(queue.dropped).append(" refused=").append(queue.refused).append('\n');
        out.append("  policy ").append(queue.policy).append(" declared ").append(queue.declared)
            .append(" defaultDelayMs=").append(queue.defaultDelayMs).append('\n');
        out.append("  retention ").append(queue.retention).append(" kept=").append(queue.consumed.count())
            .append(" keptBytes=").append(queue.consumed.bytes()).append(" nextTicket=")
            .append(queue.consumed.nextTicket()).append('\n');
        for (final long sequence : queue.messages.sequences())
        {
            final StoredMessage message = queue.messages.get(sequence);
            out.append("  message key=").append(sequence)
                .append(" seq=").append(message.sequence)
                .append(" priority=").append(message.priority).append('@').append(message.lanePosition)
                .append(" heldUntil=").append(message.heldUntilNs).append(" expiresAt=").append(message.expiresAtNs)
                .append(" unsettledGroups=").append(message.unsettledGroups)
                .append(" onlyForGroup=").append(message.onlyForGroupId)
                .append(" publishNs=").append(message.publishTimestampNs)
                .append(" enqueuedNs=").append(message.enqueuedNs);
            if (message.isKept())
            {
                out.append(" kept=").append(message.keptTicket).append('@').append(message.keptAtNs);
            }
            if (DeadLetterReason.NONE != message.deadLetterReason || null != message.sourceQueue)
            {
                out.append(" deadLetter=").append(message.deadLetterReason)
                    .append(" attempts=").append(message.deadLetterAttempts)
                    .append(" from=").append(message.sourceQueue).append('/').append(message.sourceGroup);
            }
            out.append(" producer=").append(message.producerId).append('/').append(message.producerSequence);
            out.append(" request=").append(message.requestId).append(" replySession=").append(message.replySessionId)
                .append(" replyTo=");
            appendHex(out, message.replyTo(), message.replyToLength());
            out.append(" headers=");
            appendHex(out, message.headers(), message.headersLength());
            out.append(" id=");
            appendHex(out, message.messageId(), message.messageIdLength());
            out.append(" payload=");
            if (message.payloadInJournal())
            {
                out.append("journal@").append(message.payloadLogSequence).append('/').append(message.length());
            }
            else
            {
                appendHex(out, message.payload(), message.length());
                out.append(" journal@").append(message.payloadLogSequence);
            }
            out.append('\n');
        }

        for (final ConsumerGroup group : queue.groups)
        {
            out.append("  group id=").append(group.id).append(" name=").append(group.name)
                .append(" queue=").append(group.queue.name)
                .append(" lanePositions=").append(Arrays.toString(group.lanePositions))
                .append(" floor=").append(group.floorSequence)
                .append(" nextConsumerIndex=").append(group.nextConsumerIndex())
                .append(" strategy=").append(group.strategy)
                .append(" dlq=").append(group.deadLetterQueue)
                .append(" filter=").append(group.filterExpression()).append(" filtered=").append(group.filtered)
                .append(" deliveryPending=").append(group.deliveryPending).append('\n');
            for (final Consumer consumer : group.consumers)
            {
                out.append("    consumer id=").append(consumer.id)
                    .append(" session=").append(consumer.sessionId)
                    .append(" group=").append(consumer.group.id)
                    .append(" prefetch=").append(consumer.prefetch)
                    .append(" credit=").append(consumer.credit)
                    .append(" visibilityTimeoutNs=").append(consumer.visibilityTimeoutNs)
                    .append(" inFlight=").append(consumer.inFlight).append('\n');
            }

            out.append("    inFlight");
            for (final long sequence : group.inFlight.keys())
            {
                out.append(' ').append(sequence).append("->").append(group.inFlight.get(sequence));
            }
            out.append('\n');

            out.append("    attempts");
            for (final long sequence : group.attempts.keys())
            {
                out.append(' ').append(sequence).append('=').append(group.attempts.get(sequence));
            }
            out.append('\n');

            out.append("    redeliveries");
            for (final long sequence : group.redeliveries())
            {
                out.append(' ').append(sequence);
            }
            out.append('\n');

            out.append("    deadlines");
            for (final long sequence : group.deliveryTimers.keys())
            {
                out.append(' ').append(sequence).append('@').append(timers.deadline(group, sequence));
            }
            out.append('\n');
        }
    }

    /** What the run remembers to recognise publishes applied already, in the order it forgets them. */
    static String describeDedup(final SharedState state)
    {
        final StringBuilder out = new StringBuilder(256);
        out.append("replies dropped=").append(state.repliesDropped).append('\n');
        out.append("dedup ").append(state.dedupLimits).append(" producers evicted=")
            .append(state.producerWindows.evicted()).append(" ids evicted=").append(state.messageIds.evicted())
            .append('\n');
        state.producerWindows.forEachOldestFirst((window) ->
        {
            out.append("  producer ").append(window.producerId).append(" lastUsedNs=").append(window.lastUsedNs)
                .append(" applied");
            for (int i = 0; i < window.count; i++)
            {
                out.append(' ').append(window.sequenceAt(i)).append("->").append(window.queueSequenceAt(i));
            }
            out.append('\n');
        });
        state.messageIds.forEachOldestFirst((entry) ->
        {
            out.append("  id queue=").append(entry.queue).append(" id=");
            appendHex(out, entry.id, entry.idLength);
            out.append(" seq=").append(entry.queueSequence).append(" publishedNs=").append(entry.publishedNs)
                .append('\n');
        });
        return out.toString();
    }

    private static void appendHex(final StringBuilder out, final DirectBuffer buffer, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final int b = buffer.getByte(i) & 0xFF;
            out.append(HEX[b >>> 4]).append(HEX[b & 0xF]);
        }
    }
}
