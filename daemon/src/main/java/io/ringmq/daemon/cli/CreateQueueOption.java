package io.ringmq.daemon.cli;

import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import picocli.CommandLine.Option;

/**
 * {@code --create} of the commands that attach to a queue ({@code consume}, {@code reply}): the only way they create
 * it. Without it a queue that does not exist is refused, so a typo does not make a queue that waits for messages no one
 * sends.
 */
final class CreateQueueOption
{
    @Option(names = "--create", description = "Create QUEUE if it does not exist. Default: a queue that does not " +
        "exist is refused (UNKNOWN_QUEUE, exit 1) rather than created by a typo.")
    boolean create;

    /** The daemon's refusal of an unknown queue, saying how this command creates it; any other failure as it was. */
    static RingmqException sayHowToCreate(final RingmqException ex, final String command, final String queue)
    {
        if (ErrorCode.UNKNOWN_QUEUE != ex.code())
        {
            return ex;
        }
        return new RingmqException(ErrorCode.UNKNOWN_QUEUE,
            "queue '" + queue + "' does not exist (" + command + " --create creates it)");
    }
}
