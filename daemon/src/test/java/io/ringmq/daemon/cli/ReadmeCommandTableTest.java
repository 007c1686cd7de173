package io.ringmq.daemon.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's command table names every command of the command tree (a command added later fails this until it is
 * documented), and the commands the launcher runs beside the tree (the benchmarks, the /dev/shm sweep) are named both
 * there and in {@code ringmq --help}.
 */
class ReadmeCommandTableTest
{
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final List<String> BESIDE_THE_TREE = List.of("bin/ringmq perf compare", "bin/ringmq perf idle",
        "bin/ringmq-sweep-shm", "bin/ringmq-cds-archive");

    @Test
    void everyCommandIsInTheReadmesCommandTable() throws IOException
    {
        final String table = commandTable(Files.readString(ROOT.resolve("README.md")));
        for (final String name : RingmqCli.commandLine().getSubcommands().keySet())
        {
            final String spelled = "generate-completion".equals(name) ? "`source <(bin/ringmq generate-completion)`" :
                "`bin/ringmq " + name;
            assertTrue(table.contains(spelled), () -> "README.md's command table does not show " + spelled);
        }
        for (final String command : BESIDE_THE_TREE)
        {
            assertTrue(table.contains("`" + command), () -> "README.md's command table does not show " + command);
        }
        assertTrue(Files.isExecutable(ROOT.resolve("bin/ringmq-sweep-shm")), "the sweep the README names exists");
        assertTrue(Files.isExecutable(ROOT.resolve("bin/ringmq-cds-archive")), "the archive maker it names exists");
    }

    @Test
    void helpNamesTheBenchmarksAndTheSweep()
    {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = RingmqCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        assertEquals(0, commandLine.execute("--help"));
        final String help = out.toString();
        assertTrue(help.contains("bin/ringmq perf compare") && help.contains("bin/ringmq perf idle") &&
            help.contains("bin/ringmq-sweep-shm"), help);
    }

    private static String commandTable(final String readme)
    {
        final int start = readme.indexOf("## Command line");
        final int end = readme.indexOf("## Java client", start);
        assertTrue(start >= 0 && end > start, "README.md has its Command line section");
        return readme.substring(start, end);
    }
}
