package io.ringmq.daemon;

import io.ringmq.config.RingmqConfig;
import io.ringmq.core.protocol.CommandHeader;
import io.ringmq.core.state.OutputSink;
import io.ringmq.core.state.QueueStateMachine;
import io.ringmq.daemon.roles.RecoveredState;
import io.ringmq.daemon.snapshot.JournalCoverage;
import io.ringmq.daemon.snapshot.SnapshotStore;
import io.ringmq.daemon.snapshot.Snapshotter;
import io.ringmq.daemon.snapshot.SupersededJournal;
import io.ringmq.journal.ChronicleJournal;
import io.ringmq.journal.FsyncPolicy;
import io.ringmq.journal.JournalRetention;
import io.ringmq.journal.ReplayProgress;
import net.openhft.chronicle.core.time.TimeProvider;
import org.agrona.CloseHelper;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Start-up recovery: the newest valid snapshot, then the journal's records after it replayed through the state
 * machine with outputs suppressed (clients were already answered in the run that journaled them). What it leaves is
 * a journal open to append after the recovered state, the retention that may trim that journal, and a snapshotter
 * that carries on from where the recovered snapshot was.
 * <p>
 * The order is part of correctness: the journal is opened before the coverage check, which reads its first record;
 * whether it ends behind the snapshot is asked after the replay, which clears a torn last record; and retention is
 * set up last, on the journal that will be appended to (a new one if the old was moved aside).
 * <p>
 * If recovery fails, the journal it opened is closed before the failure is rethrown.
 */
final class Recovery
{
    /** Logged under the daemon's name: these lines are the daemon's start-up story, which operators look for. */
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** How often a long start-up replay logs how far it has got. */
    private static final long REPLAY_REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(2);

    final QueueStateMachine stateMachine;
    final ChronicleJournal journal;
    final FsyncPolicy fsync;
    final JournalRetention retention;
    final Snapshotter snapshotter;
    /** Log sequence of the snapshot recovery started from; 0 if it replayed the journal from the start. */
    final long snapshotLogSequence;
    /** Commands replayed from the journal, after the snapshot. */
    final long replayedCommands;

    private Recovery(
        final QueueStateMachine stateMachine,
        final ChronicleJournal journal,
        final FsyncPolicy fsync,
        final JournalRetention retention,
        final Snapshotter snapshotter,
        final long snapshotLogSequence,
        final long replayedCommands)
    {
        this.stateMachine = stateMachine;
        this.journal = journal;
        this.fsync = fsync;
        this.retention = retention;
        this.snapshotter = snapshotter;
        this.snapshotLogSequence = snapshotLogSequence;
        this.replayedCommands = replayedCommands;
    }

    /**
     * @param journalRollClock picks the journal's roll cycle; null = Chronicle's system clock.
     * @throws IllegalStateException if the snapshot and journal together do not hold every command, a snapshot cannot
     *                               be read, or the configured message size does not fit a journal record.
     */
    static Recovery run(
        final RingmqConfig config,
        final EpochNanoClock clock,
        final NanoClock nanoClock,
        final TimeProvider journalRollClock)
    {
        final SnapshotStore snapshots = snapshotStore(config);
        final Optional<SnapshotStore.Loaded> snapshot = snapshots.loadNewest();
        final QueueStateMachine stateMachine = stateAt(snapshot);
        final long snapshotLogSequence = snapshot.map(SnapshotStore.Loaded::logSequence).orElse(0L);
        final FsyncPolicy fsync = FsyncPolicy.parse(config.journalFsync().name());
        final Path journalDirectory = Daemon.journalDirectory(config);
        ChronicleJournal journal =
            ChronicleJournal.open(journalDirectory, config.journalRollCycle().name(), fsync, journalRollClock);
        try
        {
            LOG.info("journal fsync {}: {}", fsync, fsync.describe(config.journalFsyncIntervalNs()));
            JournalCoverage.requireCovered(
                journal.firstLogSequence(), snapshotLogSequence, journal.directory(), snapshots.directory());
            if (config.maxMessageBytes() + CommandHeader.LENGTH > journal.maxRecordLength())
            {
                throw new IllegalStateException("ringmq.max.message.bytes=" + config.maxMessageBytes() +
                    " does not fit one journal record (at most " +
                    (journal.maxRecordLength() - CommandHeader.LENGTH) + " bytes)");
            }
            final long toReplay = recordsAfter(journal, snapshotLogSequence);
            final ReplayProgress progress = new ReplayProgress(toReplay, REPLAY_REPORT_INTERVAL_NS,
                nanoClock, LOG::info, 1 << 14);
            final long replayedCommands =
                journal.replayAfter(snapshotLogSequence, applying(stateMachine), progress);
            final long journalEnd = journal.lastLogSequence();
            if (SupersededJournal.isBehind(journalEnd, snapshotLogSequence))
            {
                journal.close();
                final Path aside = SupersededJournal.moveAside(journalDirectory);
                LOG.warn("the snapshot at log sequence {} is ahead of the journal, which ends at {}: its last " +
                    "records were lost (as a power loss can with ringmq.journal.fsync=NONE) and the snapshot holds " +
                    "their effect. Moved the journal aside to {} and began a new one after {}", snapshotLogSequence,
                    journalEnd, aside, snapshotLogSequence);
                journal =
                    ChronicleJournal.open(journalDirectory, config.journalRollCycle().name(), fsync, journalRollClock);
            }
            LOG.info("recovered {}{} commands replayed from the journal (last log sequence {}) in {} ms, {} events/s",
                snapshot.map((s) -> "snapshot " + s.file().getFileName() + " + ").orElse(""), replayedCommands,
                stateMachine.lastLogSequence(), TimeUnit.NANOSECONDS.toMillis(progress.elapsedNs()),
                progress.averageRate());
            final JournalRetention retention = new JournalRetention(journal, config.journalRetention());
            // Applied by the journal handler at its first batch; kept messages' payload records stay (read back).
            retention.coveredUpTo(
                Snapshotter.retentionPoint(snapshots.oldestLogSequence(), stateMachine.oldestPayloadLogSequence()));
            final Snapshotter snapshotter = new Snapshotter(snapshots, config.snapshotEveryCommands(),
                config.snapshotIntervalNs(), clock, snapshotLogSequence, retention::coveredUpTo);
            if (config.journalPrefaultBytes() > 0)
            {
                // Its thread inherits this one's CPU affinity: the launch's, or a standby's restart thread's, which
                // RolePipelines gives the CPUs the node started with, never the follower's pinned one.
                journal.prefaultAhead(config.journalPrefaultBytes());
            }
            return new Recovery(
                stateMachine, journal, fsync, retention, snapshotter, snapshotLogSequence, replayedCommands);
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietClose(journal);
            throw ex;
        }
    }

    /** Lets go of what recovery opened, for a recovery run again (a standby that installed the primary's snapshot). */
    /** What it recovered, for the node's pipelines (which own it from then on). */
    RecoveredState state()
    {
        return new RecoveredState(stateMachine, journal, retention, snapshotter, fsync);
    }

    void close()
    {
        CloseHelper.quietClose(snapshotter);
        CloseHelper.quietClose(journal);
    }

    /** For progress reports only: a damaged end, which the replay reports properly, just makes it unknown (0). */
    private static long recordsAfter(final ChronicleJournal journal, final long snapshotLogSequence)
    {
        try
        {
            return 0 == snapshotLogSequence ?
                journal.estimateRecords() : Math.max(0, journal.lastLogSequence() - snapshotLogSequence);
        }
        catch (final RuntimeException ex)
        {
            return 0;
        }
    }

    /**
     * Applies replayed commands; one the state machine throws on stops the replay as an
     * {@link UnappliableCommandException} naming it (not a bare exception from deep in the state machine).
     */
    static ChronicleJournal.RecordHandler applying(final QueueStateMachine stateMachine)
    {
        return (buffer, offset, length) ->
        {
            try
            {
                stateMachine.apply(buffer, offset, length);
            }
            catch (final RuntimeException | StackOverflowError ex)
            {
                throw new UnappliableCommandException(buffer, offset, length, ex);
            }
        };
    }

    static SnapshotStore snapshotStore(final RingmqConfig config)
    {
        return new SnapshotStore(config.dataDir().resolve("snapshots"), config.snapshotKeep());
    }

    /**
     * The state machine as the snapshot left it (outputs suppressed), or a new one if there is none. Run settings
     * (expiry included) come with the snapshot and the journaled NodeStarted commands, never from this config.
     */
    static QueueStateMachine stateAt(final Optional<SnapshotStore.Loaded> snapshot)
    {
        return snapshot.map(Recovery::restore).orElseGet(() -> new QueueStateMachine(OutputSink.NONE));
    }

    private static QueueStateMachine restore(final SnapshotStore.Loaded snapshot)
    {
        try
        {
            return QueueStateMachine.fromSnapshot(
                snapshot.state(), 0, snapshot.state().capacity(), OutputSink.NONE);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException("snapshot " + snapshot.file() +
                " passed its checksum but cannot be read (" + ex.getMessage() + "); move it out of " +
                snapshot.file().getParent() + " to recover from the journal alone", ex);
        }
    }
}
