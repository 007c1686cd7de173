package io.ringmq.daemon.cli;

import io.ringmq.core.protocol.Names;
import io.ringmq.core.protocol.QueuePattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.util.List;
import java.util.Set;

/**
 * Checks every queue and group name a command line gives before the command runs, so a name the daemon would refuse is
 * a usage error (exit 2, one line, no daemon asked) like any other bad value, not a failed operation (exit 1).
 * <p>
 * Found by how the arguments are declared, so a command added later is checked too: positional parameters labelled
 * {@code QUEUE}, {@code GROUP} or {@code QUEUE-OR-PATTERN} (a pattern, one with a wildcard, is checked as a pattern),
 * and the {@code --group} and {@code --dlq} options. An empty value of an option whose default is empty (the
 * {@code dlq} commands' {@code --group}: every group) means its default.
 */
final class NameArguments
{
    private static final Set<String> NAME_LABELS = Set.of("QUEUE", "GROUP");
    private static final String QUEUE_OR_PATTERN = "QUEUE-OR-PATTERN";
    private static final Set<String> NAME_OPTIONS = Set.of("--group", "--dlq");

    private NameArguments()
    {
    }

    /** Runs the command the line names, after its names are checked. */
    static int checkThenRun(final ParseResult parseResult)
    {
        if (!helpRequested(parseResult))
        {
            check(parseResult);
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    /** @throws ParameterException naming the first invalid name and the rule it breaks. */
    static void check(final ParseResult parseResult)
    {
        for (ParseResult command = parseResult; null != command; command = command.subcommand())
        {
            for (final ArgSpec arg : command.matchedArgs())
            {
                final boolean pattern = arg.isPositional() && QUEUE_OR_PATTERN.equals(arg.paramLabel());
                if (pattern || isName(arg))
                {
                    for (final String value : values(arg))
                    {
                        checkOne(command.commandSpec().commandLine(), arg, value, pattern);
                    }
                }
            }
        }
    }

    private static boolean isName(final ArgSpec arg)
    {
        return arg.isPositional() ? NAME_LABELS.contains(arg.paramLabel()) :
            NAME_OPTIONS.contains(((OptionSpec)arg).longestName());
    }

    private static List<String> values(final ArgSpec arg)
    {
        final Object value = arg.getValue();
        if (value instanceof List<?> list)
        {
            return list.stream().map(String::valueOf).toList();
        }
        return null == value ? List.of() : List.of(value.toString());
    }

    private static void checkOne(
        final CommandLine command, final ArgSpec arg, final String value, final boolean patternAllowed)
    {
        if (value.isEmpty() && "".equals(arg.defaultValue()))
        {
            return;
        }
        final String what = arg.isPositional() ? arg.paramLabel() : ((OptionSpec)arg).longestName();
        if (patternAllowed && QueuePattern.isPattern(value))
        {
            if (null == QueuePattern.parse(value))
            {
                throw new ParameterException(command, what + " '" + value + "' is not a valid pattern: " +
                    QueuePattern.RULE);
            }
            return;
        }
        if (!Names.isValid(value))
        {
            throw new ParameterException(command, what + " '" + value + "' is not a valid name: " + Names.RULE);
        }
    }

    private static boolean helpRequested(final ParseResult parseResult)
    {
        for (ParseResult command = parseResult; null != command; command = command.subcommand())
        {
            if (command.isUsageHelpRequested() || command.isVersionHelpRequested())
            {
                return true;
            }
        }
        return false;
    }
}
