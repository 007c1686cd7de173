package io.ringmq.daemon.cli;

import io.ringmq.client.RingmqException;
import io.ringmq.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/ringmq}: the daemon and the command-line tools that talk to it.
 * <p>
 * Exit codes: 0 success; 1 the operation failed (no daemon, timeout, refused); 2 bad usage or configuration.
 */
@Command(
    name = "ringmq",
    mixinStandardHelpOptions = true,
    version = "ringmq 0.1.0",
    description = "Low-latency message queue appliance.",
    subcommands = {DaemonCommand.class, PublishCommand.class, ConsumeCommand.class, DlqCommand.class,
        DeclareCommand.class, StatsCommand.class})
public final class RingmqCli
{
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code (tests call this instead of main). */
    public static int run(final String... args)
    {
        final CommandLine commandLine = new CommandLine(new RingmqCli());
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            if (ex instanceof ConfigException)
            {
                cmd.getErr().println("ringmq: invalid configuration:");
                cmd.getErr().println(ex.getMessage());
                return EXIT_USAGE;
            }
            if (ex instanceof RingmqException || ex instanceof IllegalStateException)
            {
                cmd.getErr().println("ringmq: " + ex.getMessage());
                return EXIT_FAILED;
            }
            throw ex;
        });
        commandLine.setExitCodeExceptionMapper((ex) -> EXIT_USAGE);
        return commandLine.execute(args);
    }
}
