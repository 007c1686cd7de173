package io.ringmq.core.testing;

import io.ringmq.codecs.DeadLetterReason;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.protocol.Priority;
import io.ringmq.core.state.MessageView;
import org.agrona.DirectBuffer;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueCounters;
import io.ringmq.core.state.QueueFigures;

import java.util.ArrayList;
import java.util.List;

/** Records every output as a line of text, so tests compare what the state machine said in order. */
public final class RecordingSink implements OutputSink
{
    public final List<String> outputs = new ArrayList<>();
    /** The text of the latest error (the lines name only its code). */
    public String lastErrorMessage;

    public List<String> drain()
    {
        final List<String> copy = new ArrayList<>(outputs);
        outputs.clear();
        return copy;
    }

    public void onSessionOpened(
        final long sessionId, final long correlationId, final String responseChannel, final int responseStreamId)
    {
        outputs.add("opened session=" + sessionId + " corr=" + correlationId + " " + responseChannel + "/" +
            responseStreamId);
    }

    public void onConnectRefused(
        final long correlationId,
        final String responseChannel,
        final int responseStreamId,
        final ErrorCode code,
        final String message)
    {
        outputs.add("refused corr=" + correlationId + " " + responseChannel + "/" + responseStreamId + " " + code);
        lastErrorMessage = message;
    }

    public void onSessionClosed(final long sessionId)
    {
        outputs.add("closed session=" + sessionId);
    }

    public void onReceipt(final long sessionId, final long correlationId, final long sequence)
    {
        outputs.add("receipt session=" + sessionId + " corr=" + correlationId + " seq=" + sequence);
    }

    public void onSubscribed(final long sessionId, final long correlationId, final long consumerId)
    {
        outputs.add("subscribed session=" + sessionId + " corr=" + correlationId + " consumer=" + consumerId);
    }

    @Override
    public void onAttached(
        final long sessionId,
        final long correlationId,
        final long subscriptionId,
        final long consumerId,
        final String queue)
    {
        outputs.add("attached session=" + sessionId + " corr=" + correlationId + " subscription=" + subscriptionId +
            " consumer=" + consumerId + " queue=" + queue);
    }

    public void onDeliver(final long sessionId, final long consumerId, final int attempt, final MessageView message)
    {
        outputs.add("deliver session=" + sessionId + " consumer=" + consumerId + " seq=" + message.sequence() +
            " attempt=" + attempt + deadLetter(message) + metadata(message) + " payload=" +
            message.payload().getStringWithoutLengthUtf8(0, message.payloadLength()));
    }

    public void onReplied(
        final long sessionId,
        final long requestId,
        final DirectBuffer payload,
        final int payloadLength,
        final DirectBuffer headers,
        final int headersLength)
    {
        outputs.add("replied session=" + sessionId + " request=" + requestId +
            (0 == headersLength ? "" : " headers=" + HeadersText.of(headers, 0, headersLength)) + " payload=" +
            payload.getStringWithoutLengthUtf8(0, payloadLength));
    }

    public void onError(final long sessionId, final long correlationId, final ErrorCode code, final String message)
    {
        outputs.add("error session=" + sessionId + " corr=" + correlationId + " " + code);
        lastErrorMessage = message;
    }

    public void onBrowsed(final long sessionId, final long correlationId, final MessageView message)
    {
        outputs.add("browsed session=" + sessionId + " corr=" + correlationId + " seq=" + message.sequence() +
            deadLetter(message) + metadata(message) + " payload=" +
            message.payload().getStringWithoutLengthUtf8(0, message.payloadLength()));
    }

    private static String deadLetter(final MessageView message)
    {
        return message.deadLetterReason() == DeadLetterReason.NONE ? "" : " " + message.deadLetterReason() +
            " after " + message.deadLetterAttempts() + " from " + message.sourceQueue() + "/" + message.sourceGroup();
    }

    /** Producer, message id and headers, where the message has them (as text: tests use text keys and values). */
    private static String metadata(final MessageView message)
    {
        final StringBuilder out = new StringBuilder();
        if (0 != message.requestId())
        {
            out.append(" request=").append(message.requestId());
        }
        if (0 != message.producerId())
        {
            out.append(" producer=").append(message.producerId()).append('/').append(message.producerSequence());
        }
        if (0 != message.messageIdLength())
        {
            out.append(" id=").append(message.messageId().getStringWithoutLengthUtf8(0, message.messageIdLength()));
        }
        if (0 != message.headersLength())
        {
            out.append(" headers=").append(HeadersText.of(message.headers(), 0, message.headersLength()));
        }
        if (Priority.DEFAULT != message.priority())
        {
            out.append(" priority=").append(message.priority());
        }
        return out.toString();
    }

    public void onAdminDone(final long sessionId, final long correlationId, final long count)
    {
        outputs.add("done session=" + sessionId + " corr=" + correlationId + " count=" + count);
    }

    public void onQueueStats(
        final long sessionId,
        final long correlationId,
        final QueueCounters counters,
        final long inFlight,
        final int groups,
        final int consumers)
    {
        outputs.add("stats session=" + sessionId + " corr=" + correlationId + " messages=" + counters.messages() +
            " bytes=" + counters.bytes() + " inFlight=" + inFlight + " groups=" + groups + " consumers=" + consumers +
            " expired=" + counters.expired() + " overflowed=" + counters.overflowed() + " dropped=" +
            counters.dropped() + " refused=" + counters.refused());
    }

    public void onQueueListed(
        final long sessionId, final long correlationId, final QueueFigures queue, final long dlqDepth)
    {
        outputs.add("queue session=" + sessionId + " corr=" + correlationId + " name=" + queue.name() + " depth=" +
            queue.depth() + " inFlight=" + queue.inFlight() + " groups=" + queue.groupCount() + " consumers=" +
            queue.consumers() + " dlqDepth=" + dlqDepth + " visibilityTimeoutMs=" + queue.policy().visibilityTimeoutMs() +
            " maxAttempts=" + queue.policy().maxAttempts());
    }

    public void onGroupListed(
        final long sessionId, final long correlationId, final QueueFigures queue, final int groupIndex)
    {
        outputs.add("group session=" + sessionId + " corr=" + correlationId + " queue=" + queue.name() + " name=" +
            queue.groupName(groupIndex) + " lag=" + queue.groupLag(groupIndex) + " consumers=" +
            queue.groupConsumers(groupIndex) + " inFlight=" + queue.groupInFlight(groupIndex) + " strategy=" +
            queue.groupStrategy(groupIndex) + " dlq=" + queue.groupDeadLetterQueue(groupIndex));
    }
}
