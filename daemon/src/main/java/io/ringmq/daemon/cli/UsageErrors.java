package io.ringmq.daemon.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * Bad options or arguments: one line saying what was wrong, picocli's "did you mean" where it has one, and where the
 * full help is, instead of the whole usage text (which buries the one line that matters).
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler
{
    @Override
    public int handleParseException(final ParameterException ex, final String[] args)
    {
        final CommandLine cmd = ex.getCommandLine();
        final PrintWriter err = cmd.getErr();
        err.println("ringmq: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("see `" + cmd.getCommandSpec().qualifiedName() + " --help`");
        err.flush();
        return RingmqCli.EXIT_USAGE;
    }

    /**
     * Gives every command {@code --help} and {@code --version}, so no command can be added without them; a command
     * with required parameters then still answers {@code --help} instead of "Missing required parameter".
     */
    static void addHelpOptionsEverywhere(final CommandLine commandLine)
    {
        final CommandSpec spec = commandLine.getCommandSpec();
        if (!spec.mixinStandardHelpOptions())
        {
            spec.mixinStandardHelpOptions(true);
        }
        spec.versionProvider(new RingmqVersion());
        for (final CommandLine sub : commandLine.getSubcommands().values())
        {
            addHelpOptionsEverywhere(sub);
        }
    }
}
