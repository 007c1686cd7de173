package io.ringmq.daemon.cli;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/** Every command path of the whole CLI tree ({@code [dlq, list]}, ...), and command lines built from them, for tests. */
final class CommandPaths
{
    private CommandPaths()
    {
    }

    /** Each command and subcommand of {@link RingmqCli#commandLine()} as its path of names, picocli's help left out. */
    static List<List<String>> all()
    {
        final List<List<String>> paths = new ArrayList<>();
        collect(RingmqCli.commandLine(), new ArrayList<>(), paths);
        return paths;
    }

    /** The path's names followed by one more argument. */
    static String[] with(final List<String> path, final String option)
    {
        final List<String> args = new ArrayList<>(path);
        args.add(option);
        return args.toArray(new String[0]);
    }

    private static void collect(final CommandLine command, final List<String> path, final List<List<String>> paths)
    {
        for (final CommandLine sub : command.getSubcommands().values())
        {
            final List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getCommandName());
            if (!"help".equals(sub.getCommandName()))
            {
                paths.add(subPath);
            }
            collect(sub, subPath, paths);
        }
    }
}
