package io.ringmq.daemon.cli;

import io.ringmq.client.RingmqException;
import io.ringmq.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * {@code bin/ringmq}: the daemon and the command-line tools that talk to it.
 * <p>
 * Exit codes: 0 success; 1 the operation failed (no daemon, timeout, refused, a daemon that cannot start); 2 bad usage
 * or configuration.
 * <p>
 * The commands are not listed in the annotation: {@link #commandLine(String...)} adds them from {@link Subcommands}.
 */
@Command(
    name = "ringmq",
    mixinStandardHelpOptions = true,
    versionProvider = RingmqVersion.class,
    description = "Low-latency message queue appliance.",
    footer = {"", "Beside these, in a source checkout: bin/ringmq-sweep-shm removes the Aeron directories " +
        "(/dev/shm/ringmq-*) that killed daemons left behind (a live daemon's directory is kept)."})
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
        return commandLine(args).execute(args);
    }

    /** The whole command tree, configured as {@link #run} uses it. */
    static CommandLine commandLine()
    {
        return configured(Subcommands.all());
    }

    /**
     * The tree {@link #run} parses {@code args} with: the root and the one command {@code args} starts with, when it
     * names one of ringmq's own; otherwise (no command, an option, {@code help}, a typo) the whole tree, for the root's
     * help and picocli's suggestions. Building a command's model reflects over its class, its options and their
     * mixins: for the whole tree that was a fifth of a one-message {@code bin/ringmq publish}'s main thread, paid
     * again by every command a script or a test runs. A command's own usage, errors and help options are the same
     * either way.
     */
    static CommandLine commandLine(final String... args)
    {
        final Class<?> named = 0 == args.length ? null : Subcommands.named(args[0]);
        return configured(null == named ? Subcommands.all() : List.of(named));
    }

    private static CommandLine configured(final List<Class<?>> subcommands)
    {
        final CommandLine commandLine = new CommandLine(new RingmqCli());
        for (final Class<?> subcommand : subcommands)
        {
            commandLine.addSubcommand(subcommand);
        }
        // A queue or payload may start with '@': never read it as a file of more arguments.
        commandLine.setExpandAtFiles(false);
        UsageErrors.addHelpOptionsEverywhere(commandLine);
        commandLine.setParameterExceptionHandler(new UsageErrors());
        // A queue or group name the daemon would refuse is a usage error, found before anything connects.
        commandLine.setExecutionStrategy(NameArguments::checkThenRun);
        // Shown in `ringmq --help` under its usual name; `source <(bin/ringmq generate-completion)` enables it.
        final CommandLine completion = commandLine.getSubcommands().get("generate-completion");
        if (null != completion)
        {
            completion.getCommandSpec().usageMessage().hidden(false);
        }
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
    static String sentence(final Exception ex)
    {
        final boolean ours = ex instanceof RingmqException || ex instanceof IllegalStateException;
        return ours && null != ex.getMessage() ? ex.getMessage() : ex.toString();
    }
}
