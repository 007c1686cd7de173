package io.ringmq.daemon.cli;

import io.ringmq.core.state.QueueStateMachine;
import picocli.CommandLine.Option;

/** {@code --dlq NAME}: the dead-letter queue of a queue, {@code QUEUE.dlq} unless a group declared its own. */
final class DeadLetterQueueOption
{
    @Option(names = "--dlq", paramLabel = "NAME",
        description = "The dead-letter queue, where a group declared its own. Default: QUEUE.dlq.")
    String name;

    String of(final String queue)
    {
        return null != name ? name : queue + QueueStateMachine.DLQ_SUFFIX;
    }
}
