package io.ringmq.daemon;

import io.ringmq.codecs.CommandSetAsideEncoder;
import io.ringmq.codecs.MessageHeaderEncoder;
import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.protocol.FrameValidator;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.JournalRewrite;
import io.ringmq.journal.ReplayProgress;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The second half of {@code daemon --repair}: journaled commands the state machine cannot apply (it throws on them, so
 * no start replays past them) are set aside. Start-up's replay is run, from the newest snapshot; each command that
 * throws is noted and the replay is run again with it replaced, until a replay goes through. Then the journal is
 * rebuilt with each noted command replaced by a {@code CommandSetAside} record (same log sequence and time; applied
 * as the passage of time only), and the journal as it was is moved aside whole ({@code journal.set-aside-<UTC time>}),
 * so the commands themselves are kept.
 * <p>
 * A command that throws is a bug in ringmq (the ingress refuses what the state machine cannot take); this keeps such a
 * bug from keeping a node down. Run it with the daemon stopped.
 */
public final class SetAsideRepair
{
    /** More than this many commands that cannot be applied is not damage to set aside but a broken build. */
    static final int MAX_SET_ASIDE = 100;

    /**
     * @param setAside   log sequence of each command set aside, with why it could not be applied; empty if none.
     * @param movedAside where the journal as it was is now; null when nothing was set aside.
     */
    public record Outcome(Map<Long, String> setAside, Path movedAside)
    {
        public String describe()
        {
            if (setAside.isEmpty())
            {
                return "every journaled command applies: nothing to set aside";
            }
            final StringBuilder text = new StringBuilder("set aside ").append(setAside.size())
                .append(" journaled command(s) that could not be applied; the journal as it was is now ")
                .append(movedAside).append(':');
            setAside.forEach((logSequence, reason) ->
                text.append(System.lineSeparator()).append("  log sequence ").append(logSequence).append(": ")
                    .append(reason));
            return text.toString();
        }
    }

    private SetAsideRepair()
    {
    }

    public static Outcome repair(final RingmqConfig config)
    {
        final Path journalDirectory = Daemon.journalDirectory(config);
        if (!Files.isDirectory(journalDirectory))
        {
            return new Outcome(Map.of(), null);
        }
        final Map<Long, String> setAside = new TreeMap<>();
        UnappliableCommandException failure;
        while (null != (failure = replay(config, journalDirectory, setAside)))
        {
            if (setAside.size() == MAX_SET_ASIDE)
            {
                throw new IllegalStateException("more than " + MAX_SET_ASIDE + " journaled commands cannot be " +
                    "applied (the last: " + failure.getMessage() + "); this is not damage to set aside: nothing " +
                    "was changed", failure);
            }
            setAside.put(failure.logSequence(), failure.reason());
        }
        if (setAside.isEmpty())
        {
            return new Outcome(Map.of(), null);
        }
        final ExpandableArrayBuffer replacement = new ExpandableArrayBuffer(256);
        final JournalRewrite.Outcome rewritten = JournalRewrite.rewrite(journalDirectory,
            config.journalRollCycle().name(), "set-aside", (buffer, offset, length, into) ->
            {
                final String reason = setAside.get(CommandHeader.logSequence(buffer, offset));
                if (null == reason)
                {
                    into.append(buffer, offset, length);
                }
                else
                {
                    into.append(replacement, 0, replacementFor(buffer, offset, reason, replacement));
                }
            });
        return new Outcome(setAside, rewritten.movedAside());
    }

    /**
     * Start-up's replay from the newest snapshot, with the commands in {@code setAside} replaced as the rebuilt
     * journal will have them.
     *
     * @return the first command that could not be applied, or null if every one was.
     */
    private static UnappliableCommandException replay(
        final RingmqConfig config, final Path journalDirectory, final Map<Long, String> setAside)
    {
        final Optional<SnapshotStore.Loaded> snapshot = Recovery.snapshotStore(config).loadNewest();
        final QueueStateMachine stateMachine = Recovery.stateAt(snapshot);
        final long snapshotLogSequence = snapshot.map(SnapshotStore.Loaded::logSequence).orElse(0L);
        final ExpandableArrayBuffer replacement = new ExpandableArrayBuffer(256);
        final ChronicleJournal.RecordHandler applying = Recovery.applying(stateMachine);
        try (ChronicleJournal journal = ChronicleJournal.open(journalDirectory, config.journalRollCycle().name()))
        {
            journal.replayAfter(snapshotLogSequence, (buffer, offset, length) ->
            {
                final String reason = setAside.get(CommandHeader.logSequence(buffer, offset));
                if (null == reason)
                {
                    applying.onRecord(buffer, offset, length);
                }
                else
                {
                    applying.onRecord(replacement, 0, replacementFor(buffer, offset, reason, replacement));
                }
            }, ReplayProgress.silent());
            return null;
        }
        catch (final UnappliableCommandException ex)
        {
            return ex;
        }
    }

    /**
     * Writes the record that takes the place of the command at {@code offset}: its command header, then a
     * CommandSetAside naming its template and why.
     *
     * @return the record's length.
     */
    static int replacementFor(
        final DirectBuffer command, final int offset, final String reason, final MutableDirectBuffer into)
    {
        into.putBytes(0, command, offset, CommandHeader.LENGTH);
        return CommandHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH + new CommandSetAsideEncoder()
            .wrapAndApplyHeader(into, CommandHeader.LENGTH, new MessageHeaderEncoder())
            .templateId(FrameValidator.templateId(command, offset + CommandHeader.LENGTH))
            .reason(reason.length() > 1000 ? reason.substring(0, 1000) : reason)
            .encodedLength();
    }
}
