package io.ringmq.daemon.cli;

import io.ringmq.client.RingmqClient;
import io.ringmq.client.SeekTarget;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/** {@code ringmq seek QUEUE --group G (--to-seq N | --to-time ISO-8601 | --oldest | --newest)}: RingmqClient.seek. */
@Command(name = "seek", description = "Move consumer group G of QUEUE: every message QUEUE holds from there on is " +
    "delivered to G (again), messages every group acked included if QUEUE keeps them (declare queue --retain-ms, " +
    "--retain-bytes). G's deliveries in flight end (their acks are refused as stale). Prints: sought <n> (messages " +
    "G now has to deliver). Exits 1 if QUEUE or G does not exist.")
final class SeekCommand implements Callable<Integer>
{
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption configOption;

    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;

    @Option(names = "--group", paramLabel = "G", required = true, description = "The group to move.")
    String group;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target
    {
        @Option(names = "--to-seq", paramLabel = "N", description = "The message at sequence N (or the next held).")
        Long sequence;

        @Option(names = "--to-time", paramLabel = "ISO-8601",
            description = "The first message stored at or after this time, e.g. 2026-12-07T03:00:00Z.")
        String time;

        @Option(names = "--oldest", description = "The oldest message QUEUE holds, kept ones included.")
        boolean oldest;

        @Option(names = "--newest", description = "Past the newest: only messages published from now on.")
        boolean newest;
    }

    public Integer call()
    {
        final SeekTarget to;
        try
        {
            to = null != target.sequence ? SeekTarget.sequence(target.sequence) :
                null != target.time ? SeekTarget.time(Instant.parse(target.time)) :
                target.oldest ? SeekTarget.OLDEST : SeekTarget.NEWEST;
        }
        catch (final IllegalArgumentException | DateTimeParseException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        try (RingmqClient client = Clients.connect(configOption.load(), "ringmq-seek"))
        {
            System.out.println("sought " + client.seek(queue, group, to));
        }
        return 0;
    }
}
