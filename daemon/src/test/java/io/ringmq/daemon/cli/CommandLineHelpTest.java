package io.ringmq.daemon.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Help, version and usage errors of every command, found by walking the command tree, so a command added later is
 * covered too. Parsing only: nothing here needs a daemon.
 */
class CommandLineHelpTest
{
    @Test
    void everyCommandAnswersHelpWithItsOwnUsage()
    {
        final List<List<String>> paths = CommandPaths.all();
        assertTrue(paths.size() >= 12, () -> "the tree walk found the commands: " + paths);
        for (final List<String> path : paths)
        {
            final Outcome help = run(CommandPaths.with(path, "--help"));
            assertEquals(0, help.exitCode, () -> path + " --help\n" + help);
            assertTrue(help.out.startsWith("Usage: ringmq " + String.join(" ", path)), () -> path + "\n" + help);
            assertEquals("", help.err, () -> path + " --help wrote to stderr");
        }
    }

    @Test
    void helpCommandShowsTheNamedCommandsUsage()
    {
        final Outcome help = run("help", "consume");
        assertEquals(0, help.exitCode, help::toString);
        assertTrue(help.out.startsWith("Usage: ringmq consume"), help::toString);
    }

    @Test
    void versionComesFromTheBuildOnEveryCommand()
    {
        for (final List<String> path : CommandPaths.all())
        {
            final Outcome version = run(CommandPaths.with(path, "--version"));
            assertEquals(0, version.exitCode, () -> path + " --version\n" + version);
            assertTrue(version.out.startsWith("ringmq " + RingmqVersion.version()), () -> path + "\n" + version);
        }
    }

    @Test
    void aUsageErrorIsOneLineAndWhereTheHelpIs()
    {
        final Outcome missing = run("publish");
        assertEquals(RingmqCli.EXIT_USAGE, missing.exitCode, missing::toString);
        assertEquals("", missing.out, missing::toString);
        assertEquals(List.of("ringmq: Missing required parameter: 'QUEUE'", "see `ringmq publish --help`"),
            missing.errLines(), missing::toString);

        final Outcome badValue = run("dlq", "list", "q", "--group");
        assertEquals(RingmqCli.EXIT_USAGE, badValue.exitCode, badValue::toString);
        assertEquals("see `ringmq dlq list --help`", badValue.errLines().get(badValue.errLines().size() - 1));
        assertTrue(badValue.errLines().size() <= 3, badValue::toString);
    }

    @Test
    void publishRefusesATimeoutThatCouldNotWaitForAnyReceipt()
    {
        for (final String timeout : new String[] {"0", "0ms", "0s"})
        {
            final Outcome refused = run("publish", "q", "--timeout", timeout);
            assertEquals(RingmqCli.EXIT_USAGE, refused.exitCode, refused::toString);
            assertEquals(List.of("ringmq: --timeout must be at least 1ms, was 0ms",
                "see `ringmq publish --help`"), refused.errLines());
        }
        final Outcome negative = run("publish", "q", "--timeout-ms", "-1");
        assertEquals(RingmqCli.EXIT_USAGE, negative.exitCode, negative::toString);
        assertTrue(negative.err.contains("'-1' is not a duration"), negative::toString);
    }

    @Test
    void anInvalidQueueGroupOrPatternIsAUsageErrorNamingTheRule()
    {
        final Outcome queue = run("publish", "bad name");
        assertEquals(RingmqCli.EXIT_USAGE, queue.exitCode, queue::toString);
        assertEquals(List.of("ringmq: QUEUE 'bad name' is not a valid name: 1-255 characters from [A-Za-z0-9._-] (up to 259 if it ends in .dlq)",
            "see `ringmq publish --help`"), queue.errLines());

        final Outcome group = run("seek", "q", "--group", "a:b", "--oldest");
        assertEquals(RingmqCli.EXIT_USAGE, group.exitCode, group::toString);
        assertTrue(group.err.startsWith("ringmq: --group 'a:b' is not a valid name"), group::toString);

        final Outcome oneOfMany = run("stats", "a", "b", "c d");
        assertEquals(RingmqCli.EXIT_USAGE, oneOfMany.exitCode, oneOfMany::toString);
        assertTrue(oneOfMany.err.contains("QUEUE 'c d' is not a valid name"), oneOfMany::toString);

        final Outcome pattern = run("consume", "orders.>.eu");
        assertEquals(RingmqCli.EXIT_USAGE, pattern.exitCode, pattern::toString);
        assertTrue(pattern.err.contains("QUEUE-OR-PATTERN 'orders.>.eu' is not a valid pattern"), pattern::toString);

        final Outcome help = run("publish", "bad name", "--help");
        assertEquals(0, help.exitCode, "--help is answered whatever else the line holds");
    }

    @Test
    void aMisspelledOptionGetsASuggestion()
    {
        final Outcome typo = run("consume", "q", "--jsn");
        assertEquals(RingmqCli.EXIT_USAGE, typo.exitCode, typo::toString);
        assertTrue(typo.err.contains("--json"), typo::toString);
        assertTrue(typo.err.contains("see `ringmq consume --help`"), typo::toString);
    }

    @Test
    void anArgumentStartingWithAtIsNotReadAsAFile(@TempDir final Path dir) throws IOException
    {
        final Path file = Files.writeString(dir.resolve("args"), "--count=7\n");
        final CommandLine.ParseResult parsed = RingmqCli.commandLine().parseArgs("publish", "@" + file);
        final CommandLine.ParseResult publish = parsed.subcommand();
        assertEquals("@" + file, publish.matchedPositional(0).getValue());
        assertFalse(publish.hasMatchedOption("--count"), "the file's contents were not read as options");
    }

    private static Outcome run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = RingmqCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exitCode = commandLine.execute(args);
        return new Outcome(exitCode, out.toString(), err.toString());
    }

    private record Outcome(int exitCode, String out, String err)
    {
        List<String> errLines()
        {
            return err.lines().toList();
        }
    }
}
