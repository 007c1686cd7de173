package io.ringmq.core.state;

import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.codecs.LimitAction;
import io.ringmq.codecs.NackAction;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-queue settings, field by field: declared by the client that creates the queue, else from the configured rules
 * whose patterns match (the first journaled first), else the daemon's defaults; and sessions are bound to the
 * transport that opened them.
 */
class QueueSettingsTest
{
    private static final QueuePolicy SHORT_TIMEOUT =
        new QueuePolicy(500, 0, BackoffKind.DEFAULT, 0, 0, DispatchStrategy.DEFAULT);

    private static final Pattern DELIVERY = Pattern.compile("deliver session=\\d+ consumer=(\\d+) seq=(\\d+) attempt=(\\d+) .*");

    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(10_000, 5);
        commands.connect(1, "aeron:ipc", 2001);
        sink.drain();
    }

    @Test
    void declaringANewQueueCreatesItWithThoseSettings()
    {
        commands.declareQueue(1, 10, "q", SHORT_TIMEOUT);
        assertEquals(List.of("done session=1 corr=10 count=1"), sink.drain());

        assertRedeliveredAfterMs("q", 500);
    }

    @Test
    void declaringAgainWithTheSameOrNoSettingsConfirmsWithDifferentOnesConflicts()
    {
        commands.declareQueue(1, 10, "q", SHORT_TIMEOUT);
        commands.declareQueue(1, 11, "q", SHORT_TIMEOUT);
        commands.declareQueue(1, 12, "q", QueuePolicy.UNSET);
        commands.declareQueue(1, 13, "q", new QueuePolicy(500, 5, BackoffKind.NONE, 0, 0, DispatchStrategy.DEFAULT));
        commands.declareQueue(1, 14, "q", new QueuePolicy(600, 0, BackoffKind.DEFAULT, 0, 0, DispatchStrategy.DEFAULT));

        assertEquals(List.of(
            "done session=1 corr=10 count=1",
            "done session=1 corr=11 count=0",
            "done session=1 corr=12 count=0",
            "done session=1 corr=13 count=0",
            "error session=1 corr=14 SETTINGS_CONFLICT"), sink.drain());
    }

    @Test
    void invalidSettingsAndNamesAreRefusedAndCreateNothing()
    {
        commands.declareQueue(1, 10, "q", new QueuePolicy(-1, 0, BackoffKind.DEFAULT, 0, 0, DispatchStrategy.DEFAULT));
        commands.declareQueue(1, 11, "q", new QueuePolicy(0, 0, BackoffKind.FIXED, 0, 0, DispatchStrategy.DEFAULT));
        commands.declareQueue(1, 12, "q",
            new QueuePolicy(0, 0, BackoffKind.EXPONENTIAL, 500, 100, DispatchStrategy.DEFAULT));
        commands.declareQueue(1, 13, "q", new QueuePolicy(0, 0, BackoffKind.NONE, 5, 0, DispatchStrategy.DEFAULT));
        commands.declareQueue(1, 14, "bad name", SHORT_TIMEOUT);

        assertEquals(List.of(
            "error session=1 corr=10 INVALID_ARGUMENT",
            "error session=1 corr=11 INVALID_ARGUMENT",
            "error session=1 corr=12 INVALID_ARGUMENT",
            "error session=1 corr=13 INVALID_ARGUMENT",
            "error session=1 corr=14 INVALID_NAME"), sink.drain());
        assertEquals(List.of(), stateMachine.queueNames());
    }

    @Test
    void whereMatchingRulesSetTheSameFieldTheFirstJournaledDecides()
    {
        commands.queueRule("orders.*", new QueuePolicy(300, 0, BackoffKind.DEFAULT, 0, 0, DispatchStrategy.DEFAULT));
        commands.queueRule("orders.eu", SHORT_TIMEOUT);
        commands.queueRule("*", new QueuePolicy(700, 0, BackoffKind.DEFAULT, 0, 0, DispatchStrategy.DEFAULT));

        assertRedeliveredAfterMs("orders.eu", 300);
        assertRedeliveredAfterMs("payments", 700);
    }

    @Test
    void everyMatchingRuleAddsTheSettingsItSetsTheMostSpecificFirst()
    {
        // Journaled as the daemon journals them, most specific first; orders.eu.dlq matches all three.
        commands.queueRule("orders.*", SHORT_TIMEOUT);
        commands.queueRule("*.dlq", QueuePolicy.UNSET.withLimits(
            new QueueLimits(0, 1, 0, LimitAction.DEFAULT, LimitAction.DROP)));
        commands.queueRule("*", new QueuePolicy(700, 0, BackoffKind.DEFAULT, 0, 0, DispatchStrategy.DEFAULT));

        assertRedeliveredAfterMs("orders.eu.dlq", 500); // orders.*, not *
        assertRedeliveredAfterMs("payments.dlq", 700);
        for (final String queue : List.of("orders.eu", "payments"))
        {
            commands.subscribe(1, 10, queue, "g", 2);
            commands.publish(1, 11, queue, "a");
            commands.publish(1, 12, queue, "b");
            final List<Matcher> deliveries = sink.drain().stream().map(DELIVERY::matcher).filter(Matcher::matches)
                .toList();
            assertEquals(2, deliveries.size());
            for (final Matcher delivery : deliveries)
            {
                commands.nack(1, Long.parseLong(delivery.group(1)), Long.parseLong(delivery.group(2)), 1,
                    NackAction.REJECT);
            }
            sink.drain(); // the probe group's deliveries of the dead letters
        }
        assertEquals(1, stateMachine.depth("orders.eu.dlq"), "*.dlq's bound, although orders.* is more specific");
        assertEquals(1, stateMachine.depth("payments.dlq"));
        final QueueCounters counters = stateMachine.counters("orders.eu.dlq");
        assertEquals(1, counters.overflowed(), counters::toString);
        assertEquals(1, counters.dropped(), counters::toString);
    }

    @Test
    void aNarrowerRulesNoneLiftsABroaderRulesBound()
    {
        commands.queueRule("orders", QueuePolicy.UNSET.withLimits(
            new QueueLimits(0, QueueLimits.NONE, 0, LimitAction.DEFAULT, LimitAction.DEFAULT)));
        commands.queueRule("*", QueuePolicy.UNSET.withLimits(
            new QueueLimits(0, 1, 0, LimitAction.DEFAULT, LimitAction.DROP)));
        for (final String queue : List.of("orders", "payments"))
        {
            commands.publish(1, 10, queue, "a");
            commands.publish(1, 11, queue, "b");
        }
        assertEquals(2, stateMachine.depth("orders"));
        assertEquals(1, stateMachine.depth("payments"));
    }

    @Test
    void aRunJournaledBeforeSchemaVersion4ResolvesByTheFirstMatchingRuleAloneAndSoDoesItsSnapshot()
    {
        commands.nodeStartedAtSchemaVersion(3); // closes session 1, as a restart does
        commands.connect(2, "aeron:ipc", 2001);
        assertEquals(List.of("closed session=1", "opened session=2 corr=2 aeron:ipc/2001"), sink.drain());
        commands.queueRule("orders.*", SHORT_TIMEOUT);
        commands.queueRule("*", QueuePolicy.UNSET.withLimits(
            new QueueLimits(0, 1, 0, LimitAction.DEFAULT, LimitAction.DROP)));
        commands.publish(2, 10, "orders.eu", "a");
        commands.publish(2, 11, "orders.eu", "b");
        commands.publish(2, 12, "payments", "a");
        commands.publish(2, 13, "payments", "b");
        assertEquals(2, stateMachine.depth("orders.eu"), "orders.* decided alone: no bound from *");
        assertEquals(1, stateMachine.depth("payments"));

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        final QueueStateMachine restored =
            QueueStateMachine.fromSnapshot(snapshot, 0, stateMachine.writeSnapshot(snapshot, 0), OutputSink.NONE);
        final Commands afterRestore = new Commands(restored);
        afterRestore.publish(2, 14, "orders.us", "a");
        afterRestore.publish(2, 15, "orders.us", "b");
        assertEquals(2, restored.depth("orders.us"), "the restored run still resolves by the first match");
    }

    @Test
    void aDeclarationOverridesTheRulesFieldByField()
    {
        commands.queueRule("q", new QueuePolicy(300, 2, BackoffKind.DEFAULT, 0, 0, DispatchStrategy.DEFAULT));
        commands.declareQueue(1, 10, "q", SHORT_TIMEOUT);
        sink.drain();

        commands.subscribe(1, 20, "q", "g", 1);
        commands.publish(1, 21, "q", "a");
        commands.tickAfterMs(499);
        assertEquals(1, stateMachine.inFlight("q", "g"), "visibility timeout 500 ms is declared");
        commands.tickAfterMs(1);
        commands.tickAfterMs(500);
        assertEquals(1, stateMachine.depth("q.dlq"), "max attempts 2 still comes from the rule");
    }

    @Test
    void aNewRunsRulesApplyToQueuesThatExistButNotToDeclaredOnes()
    {
        commands.queueRule("*", new QueuePolicy(300, 0, BackoffKind.DEFAULT, 0, 0, DispatchStrategy.DEFAULT));
        commands.declareQueue(1, 10, "declared", SHORT_TIMEOUT);
        commands.subscribe(1, 11, "implicit", "other", 1);
        commands.nodeStarted(10_000, 5); // the next run's config has no rules
        commands.connect(2, "aeron:ipc", 2002);
        sink.drain();

        assertRedeliveredAfterMs(2, "declared", 500);
        assertRedeliveredAfterMs(2, "implicit", 10_000);
    }

    @Test
    void aSessionTakesCommandsOnlyFromTheTransportThatOpenedItAndHearsNothingOfOthers()
    {
        commands.fromTransport(2);
        commands.publish(1, 30, "q", "a");
        commands.subscribe(1, 31, "q", "g", 1);
        commands.disconnect(1);

        assertEquals(List.of(), sink.drain(), "session 1 did not send them: it is told nothing");
        assertEquals(3, stateMachine.foreignCommands());
        assertEquals(1, stateMachine.sessionCount());
        assertEquals(List.of(), stateMachine.queueNames());
    }

    @Test
    void theDaemonClosesALostSessionFromItsOwnTransportAndItsDeliveriesComeBack()
    {
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(1, 20, "q", "g", 1);
        commands.subscribe(2, 21, "q", "g", 1);
        commands.publish(2, 30, "q", "a");
        sink.drain();

        commands.sessionLost(1);
        assertEquals(List.of("closed session=1", "deliver session=2 consumer=2 seq=1 attempt=2 payload=a"),
            sink.drain());
    }

    @Test
    void aRefusedFrameIsExplainedToItsSessionOnlyOnThatSessionsTransport()
    {
        commands.frameRejected(1, 40, ErrorCode.MALFORMED_FRAME);
        commands.fromTransport(9);
        commands.frameRejected(1, 41, ErrorCode.MALFORMED_FRAME); // forged or garbled: not session 1's transport
        commands.frameRejected(77, 42, ErrorCode.MALFORMED_FRAME); // no such session

        assertEquals(List.of("error session=1 corr=40 MALFORMED_FRAME"), sink.drain());
    }

    private void assertRedeliveredAfterMs(final String queue, final long timeoutMs)
    {
        assertRedeliveredAfterMs(1, queue, timeoutMs);
    }

    /** Subscribes a fresh group, publishes, and checks the delivery times out after exactly timeoutMs. */
    private void assertRedeliveredAfterMs(final long sessionId, final String queue, final long timeoutMs)
    {
        commands.subscribe(sessionId, 90, queue, "probe", 1);
        commands.publish(sessionId, 91, queue, "probe");
        sink.drain();
        commands.tickAfterMs(timeoutMs - 1);
        assertEquals(List.of(), sink.drain(), queue + ": no redelivery before " + timeoutMs + " ms");
        commands.tickAfterMs(1);
        final List<String> outputs = sink.drain();
        assertEquals(1, outputs.size(), queue + ": " + outputs);
        final Matcher delivery = DELIVERY.matcher(outputs.get(0));
        assertTrue(delivery.matches() && delivery.group(3).equals("2"), queue + ": " + outputs);
        commands.ack(sessionId, Long.parseLong(delivery.group(1)), Long.parseLong(delivery.group(2)), 2);
        assertEquals(List.of(), sink.drain(), "the probe is done and leaves no timer behind");
    }
}
