package io.ringmq.daemon.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * Listed so {@code ringmq --help} names the benchmarks. The launcher runs {@code bin/ringmq perf ...} itself, with the
 * perf module's own classpath (Artemis, JMH), which the daemon jar does not carry; reached here only when the jar is
 * run directly.
 */
@Command(name = "perf", description = "Benchmarks: bin/ringmq perf compare [--quick] (ringmq vs the raw Aeron+" +
    "Chronicle limit vs ActiveMQ Artemis), bin/ringmq perf idle (what an idle daemon costs per thread); the other " +
    "harnesses are in perf/README.md.")
final class PerfCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Passed to the benchmark, e.g. compare --quick.")
    List<String> args;

    @Override
    public Integer call()
    {
        spec.commandLine().getErr().println("ringmq: perf runs through the launcher in a source checkout, which " +
            "builds the perf module: bin/ringmq perf compare --help");
        return RingmqCli.EXIT_USAGE;
    }
}
