package io.ringmq.daemon.cli;

import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine.HelpCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ringmq's commands by the name a command line starts with, in the order {@code ringmq --help} lists them.
 * <p>
 * The names repeat each class's {@code @Command(name = ...)} so that finding the one command a line names loads no
 * other command class and reads no annotation; {@code SubcommandsTest} holds them equal. {@code help} and
 * {@code generate-completion} are not among the names: they need the whole tree.
 */
final class Subcommands
{
    private static final Map<String, Class<?>> OWN = new LinkedHashMap<>();

    static
    {
        OWN.put("daemon", DaemonCommand.class);
        OWN.put("publish", PublishCommand.class);
        OWN.put("consume", ConsumeCommand.class);
        OWN.put("dlq", DlqCommand.class);
        OWN.put("declare", DeclareCommand.class);
        OWN.put("stats", StatsCommand.class);
        OWN.put("stat", StatCommand.class);
        OWN.put("queues", QueuesCommand.class);
        OWN.put("groups", GroupsCommand.class);
        OWN.put("peek", PeekCommand.class);
        OWN.put("purge", PurgeCommand.class);
        OWN.put("seek", SeekCommand.class);
        OWN.put("delete", DeleteCommand.class);
        OWN.put("status", NodeStatusCommand.class);
        OWN.put("promote", PromoteCommand.class);
        OWN.put("switchover", SwitchoverCommand.class);
        OWN.put("witness", WitnessCommand.class);
        OWN.put("http", HttpCommand.class);
        OWN.put("request", RequestCommand.class);
        OWN.put("reply", ReplyCommand.class);
        OWN.put("perf", PerfCommand.class);
    }

    private Subcommands()
    {
    }

    /** @return the class of ringmq's own command with this name, or null (not one, or {@code help}). */
    static Class<?> named(final String name)
    {
        return OWN.get(name);
    }

    /** Every command, picocli's {@code help} and {@code generate-completion} last. */
    static List<Class<?>> all()
    {
        final List<Class<?>> all = new ArrayList<>(OWN.values());
        all.add(HelpCommand.class);
        all.add(GenerateCompletion.class);
        return all;
    }

    /** The names {@link #named} knows, in order. */
    static List<String> names()
    {
        return List.copyOf(OWN.keySet());
    }
}
