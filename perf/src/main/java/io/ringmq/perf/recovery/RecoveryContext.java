package io.ringmq.perf.recovery;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Options of {@link JournalRecoveryBenchmark}; each {@code --name value} on the command line, or the system property
 * {@code ringmq.perf.recovery.<name>}.
 */
public final class RecoveryContext
{
    /** What the benchmark does; the script runs the phases in two JVMs so the replay starts cold. */
    public enum Phase
    {
        /** Writes the journal. */
        WRITE,
        /** Replays an existing journal. */
        REPLAY,
        /** Both, in this JVM. */
        BOTH
    }

    /**
     * How the state is recovered: every journal record replayed into a fresh state machine, or the newest snapshot
     * loaded (one covering the whole journal is made first, untimed, if the directory has none: what a daemon leaves
     * at a graceful stop) and only the journal after it replayed, as the daemon does.
     */
    public enum Mode
    {
        FULL_REPLAY,
        SNAPSHOT
    }

    private long commands = 10_000_000;
    private int payloadBytes = 100;
    private Path dir = Path.of(System.getProperty("java.io.tmpdir"), "ringmq-recovery");
    private Phase phase = Phase.BOTH;
    private Mode mode = Mode.FULL_REPLAY;
    private int passes = 1;
    private String rollCycle = "FAST_DAILY";
    private boolean applyToStateMachine = true;
    private boolean consumed;

    public RecoveryContext()
    {
        for (final String name : new String[]{"commands", "payload-bytes", "dir", "phase", "mode", "passes",
            "roll-cycle", "state-machine", "consumed"})
        {
            final String value = System.getProperty("ringmq.perf.recovery." + name);
            if (null != value)
            {
                set(name, value);
            }
        }
    }

    /** Applies {@code --name value} pairs. */
    public RecoveryContext parse(final String[] args)
    {
        for (int i = 0; i < args.length; i += 2)
        {
            if (!args[i].startsWith("--") || i + 1 >= args.length)
            {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'; " + usage());
            }
            set(args[i].substring(2), args[i + 1]);
        }
        return this;
    }

    private void set(final String name, final String value)
    {
        switch (name)
        {
            case "commands" -> commands(Long.parseLong(value.replace("_", "")));
            case "payload-bytes" -> payloadBytes(Integer.parseInt(value));
            case "dir" -> dir(Path.of(value));
            case "phase" -> phase(Phase.valueOf(value.toUpperCase(Locale.ROOT)));
            case "mode" -> mode(Mode.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_')));
            case "passes" -> passes(Integer.parseInt(value));
            case "roll-cycle" -> rollCycle(value);
            case "state-machine" -> applyToStateMachine(parseBoolean(name, value));
            case "consumed" -> consumed(parseBoolean(name, value));
            default -> throw new IllegalArgumentException("unknown option --" + name + "; " + usage());
        }
    }

    private static boolean parseBoolean(final String name, final String value)
    {
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value))
        {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("--" + name + " takes true or false, not '" + value + "'");
    }

    public static String usage()
    {
        return "options: --commands N (10000000) --payload-bytes B (100) --dir DIR (journal at DIR/journal) " +
            "--phase write|replay|both (both) --mode full_replay --passes P (1: replays, each into a fresh state " +
            "machine; the first is the cold one) --roll-cycle NAME (FAST_DAILY) --consumed true|false (false; true: half the " +
            "commands are acks of the other half) --state-machine true|false (true; false " +
            "reads and checks the journal only, to tell the journal's share from the state machine's)";
    }

    public RecoveryContext conclude()
    {
        if (commands < 1 || payloadBytes < 1 || passes < 1)
        {
            throw new IllegalArgumentException("commands, payload-bytes and passes must be positive: " + this);
        }
        return this;
    }

    public RecoveryContext commands(final long commands)
    {
        this.commands = commands;
        return this;
    }

    public long commands()
    {
        return commands;
    }

    public RecoveryContext payloadBytes(final int payloadBytes)
    {
        this.payloadBytes = payloadBytes;
        return this;
    }

    public int payloadBytes()
    {
        return payloadBytes;
    }

    public RecoveryContext dir(final Path dir)
    {
        this.dir = dir;
        return this;
    }

    public Path dir()
    {
        return dir;
    }

    public Path journalDir()
    {
        return dir.resolve("journal");
    }

    public RecoveryContext phase(final Phase phase)
    {
        this.phase = phase;
        return this;
    }

    public Phase phase()
    {
        return phase;
    }

    public RecoveryContext mode(final Mode mode)
    {
        this.mode = mode;
        return this;
    }

    public Mode mode()
    {
        return mode;
    }

    public RecoveryContext passes(final int passes)
    {
        this.passes = passes;
        return this;
    }

    public int passes()
    {
        return passes;
    }

    public RecoveryContext applyToStateMachine(final boolean applyToStateMachine)
    {
        this.applyToStateMachine = applyToStateMachine;
        return this;
    }

    /** Whether the written journal also consumes: half publishes, half acks, an almost empty queue at the end. */
    public RecoveryContext consumed(final boolean consumed)
    {
        this.consumed = consumed;
        return this;
    }

    public boolean consumed()
    {
        return consumed;
    }

    public boolean applyToStateMachine()
    {
        return applyToStateMachine;
    }

    public RecoveryContext rollCycle(final String rollCycle)
    {
        this.rollCycle = rollCycle;
        return this;
    }

    public String rollCycle()
    {
        return rollCycle;
    }

    public String toString()
    {
        return "commands=" + commands + " payload-bytes=" + payloadBytes + " dir=" + dir + " phase=" + phase +
            " mode=" + mode + " passes=" + passes + " roll-cycle=" + rollCycle + " state-machine=" + applyToStateMachine +
            " consumed=" + consumed;
    }
}
