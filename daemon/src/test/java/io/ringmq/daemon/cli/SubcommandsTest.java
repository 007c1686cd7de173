package io.ringmq.daemon.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The tree {@code bin/ringmq} parses a line with holds only the command the line names; this holds it to answer as
 * the whole tree does. Parsing only: no daemon.
 */
class SubcommandsTest
{
    @Test
    void everyNameIsItsCommandsOwn()
    {
        final List<String> names = new ArrayList<>();
        for (final Class<?> command : Subcommands.all())
        {
            final String name = command.getAnnotation(Command.class).name();
            if (!"help".equals(name) && !"generate-completion".equals(name))
            {
                names.add(name);
                assertSame(command, Subcommands.named(name), name);
            }
        }
        assertEquals(names, Subcommands.names());
        assertNull(Subcommands.named("help"), "help needs the whole tree");
        assertNull(Subcommands.named("pubish"));
    }

    @Test
    void aLineNamingOneCommandGetsTheRootAndThatCommandOnly()
    {
        assertEquals(List.of("publish"), List.copyOf(RingmqCli.commandLine("publish", "q").getSubcommands().keySet()));
        assertEquals(RingmqCli.commandLine().getSubcommands().keySet(),
            RingmqCli.commandLine("--help").getSubcommands().keySet());
        assertEquals(RingmqCli.commandLine().getSubcommands().keySet(),
            RingmqCli.commandLine("help", "publish").getSubcommands().keySet());
        assertEquals(RingmqCli.commandLine().getSubcommands().keySet(),
            RingmqCli.commandLine("pubish", "q").getSubcommands().keySet());
    }

    @Test
    void helpVersionAndUsageErrorsAreTheSameAsWithTheWholeTree()
    {
        final List<List<String>> paths = CommandPaths.all();
        assertEquals(Subcommands.names().size() + 1, paths.stream().filter((path) -> 1 == path.size()).count(),
            () -> "every command and generate-completion: " + paths);
        for (final List<String> path : paths)
        {
            for (final String last : List.of("--help", "--version", "--no-such-option", "-Z"))
            {
                final String[] args = CommandPaths.with(path, last);
                assertEquals(run(RingmqCli.commandLine(), args), run(RingmqCli.commandLine(args), args),
                    () -> String.join(" ", args));
            }
        }
        for (final String[] args : List.of(new String[]{"pubish", "q"}, new String[]{"--help"},
            new String[]{"help", "consume"}, new String[]{}, new String[]{"publish"}, new String[]{"dlq"}))
        {
            assertEquals(run(RingmqCli.commandLine(), args), run(RingmqCli.commandLine(args), args),
                () -> String.join(" ", args));
        }
    }

    private static String run(final CommandLine commandLine, final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exitCode = commandLine.execute(args);
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
