package io.ringmq.daemon.cli;

import io.ringmq.client.RingmqException;
import io.ringmq.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * {@code bin/ringmq}: the daemon and the command-line tools that talk to it.
 * <p>
 * Exit codes: 0 success; 1 the operation failed (no daemon, timeout, refused, a daemon that cannot start); 2 bad usage
 * or configuration.
 */
@Command(
    name = "ringmq",
    mixinStandardHelpOptions = true,
    versionProvider = RingmqVersion.class,
    description = "Low-latency message queue appliance.",
    footer = {"", "Beside these, in a source checkout: bin/ringmq-sweep-shm removes the Aeron directories " +
        "(/dev/shm/ringmq-*) that killed daemons left behind (a live daemon's directory is kept)."},
    subcommands = {DaemonCommand.class, PublishCommand.class, ConsumeCommand.class, DlqCommand.class,
        DeclareCommand.class, StatsCommand.class, StatCommand.class, QueuesCommand.class, GroupsCommand.class,
        PeekCommand.class, PurgeCommand.class, SeekCommand.class, DeleteCommand.class, NodeStatusCommand.class,
        PromoteCommand.class, SwitchoverCommand.class, WitnessCommand.class, RequestCommand.class, ReplyCommand.class,
        PerfCommand.class,
        HelpCommand.class, GenerateCompletion.class})
public final class RingmqCli
{
    private static final Logger LOG = LoggerFactory.getLogger(RingmqCli.class);

    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code (tests call this instead of main). */
    public static int run(final String... args)
    {
        return commandLine().execute(args);
    }

    /** The whole command tree, configured as {@link #run} uses it. */
    static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new RingmqCli());
        // A queue or payload may start with '@': never read it as a file of more arguments.
        commandLine.setExpandAtFiles(false);
        UsageErrors.addHelpOptionsEverywhere(commandLine);
        commandLine.setParameterExceptionHandler(new UsageErrors());
        // A queue or group name the daemon would refuse is a usage error, found before anything connects.
        commandLine.setExecutionStrategy(NameArguments::checkThenRun);
        // Shown in `ringmq --help` under its usual name; `source <(bin/ringmq generate-completion)` enables it.
        commandLine.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            if (ex instanceof ConfigException)
            {
                cmd.getErr().println("ringmq: invalid configuration:");
                cmd.getErr().println(ex.getMessage());
                return EXIT_USAGE;
            }
            // Anything else is the operation failing, not the usage: a daemon that cannot start (a damaged journal,
            // a full Aeron directory, a live daemon in the way) included. One line for the operator; the stack trace
            // goes to the log at debug level only.
            cmd.getErr().println("ringmq: " + sentence(ex));
            LOG.debug("ringmq {} failed", cmd.getCommandName(), ex);
            return EXIT_FAILED;
        });
        // Reached by bad options and arguments only: every failure while running is handled above.
        commandLine.setExitCodeExceptionMapper((ex) -> EXIT_USAGE);
        return commandLine;
    }

    /**
     * Our own failures carry a message written for the operator; another library's message may make sense only with
     * its exception's name, so that is kept.
     */
    private static String sentence(final Exception ex)
    {
        final boolean ours = ex instanceof RingmqException || ex instanceof IllegalStateException;
        return ours && null != ex.getMessage() ? ex.getMessage() : ex.toString();
    }
}
