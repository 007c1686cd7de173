package io.ringmq.core.state;

import io.ringmq.codecs.BackoffKind;
import io.ringmq.codecs.DispatchStrategy;
import io.ringmq.core.testing.Commands;
import io.ringmq.core.testing.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Credits bound what a consumer is sent; the group's strategy picks which consumer gets the next message. */
class CreditAndDispatchTest
{
    private final RecordingSink sink = new RecordingSink();
    private final QueueStateMachine stateMachine = new QueueStateMachine(sink);
    private final Commands commands = new Commands(stateMachine);

    @BeforeEach
    void connect()
    {
        commands.nodeStarted(10_000, 5);
        commands.connect(1, "aeron:ipc", 2001);
    }

    @Test
    void aConsumerWithoutAPrefetchWindowGetsOnlyWhatItGrants()
    {
        commands.subscribe(1, 20, "q", "g", 0);
        for (int i = 1; i <= 5; i++)
        {
            commands.publish(1, 30 + i, "q", "m" + i);
        }
        sink.drain();
        assertEquals(0, stateMachine.inFlight("q", "g"), "no credit, no delivery");

        commands.grant(1, 1, 2);
        assertEquals(List.of(
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=m1",
            "deliver session=1 consumer=1 seq=2 attempt=1 payload=m2"), sink.drain());

        commands.ack(1, 1, 1, 1);
        assertEquals(List.of(), sink.drain(), "an ack earns no credit back without a window");

        commands.grant(1, 1, 1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=3 attempt=1 payload=m3"), sink.drain());
    }

    @Test
    void settingTheCreditWithdrawsWhatWasGrantedAndNotSentOrTopsItUpToExactlyThat()
    {
        commands.subscribe(1, 20, "q", "g", 0);
        commands.grant(1, 1, 5);
        commands.publish(1, 31, "q", "m1");
        sink.drain();
        assertEquals(1, stateMachine.inFlight("q", "g"), "one of five credits used");

        commands.setCredit(1, 1, 0);
        commands.publish(1, 32, "q", "m2");
        assertEquals(List.of("receipt session=1 corr=32 seq=2"), sink.drain(),
            "the four unused credits are withdrawn: a pull that stopped waiting is sent nothing more");

        commands.setCredit(1, 1, 2);
        assertEquals(List.of("deliver session=1 consumer=1 seq=2 attempt=1 payload=m2"), sink.drain());
        commands.setCredit(1, 1, 2); // one credit left of the first: exactly two now, not three
        commands.publish(1, 33, "q", "m3");
        commands.publish(1, 34, "q", "m4");
        commands.publish(1, 35, "q", "m5");
        assertEquals(List.of(
            "receipt session=1 corr=33 seq=3",
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=m3",
            "receipt session=1 corr=34 seq=4",
            "deliver session=1 consumer=1 seq=4 attempt=1 payload=m4",
            "receipt session=1 corr=35 seq=5"), sink.drain());
    }

    @Test
    void onlyAConsumerWithoutAPrefetchWindowHasItsCreditSet()
    {
        commands.subscribe(1, 20, "q", "g", 3);
        commands.subscribe(1, 21, "q", "pull", 0);
        sink.drain();
        commands.setCredit(1, 1, 0);
        commands.setCredit(1, 2, -1);
        assertEquals(List.of(
            "error session=1 corr=0 INVALID_ARGUMENT",
            "error session=1 corr=0 INVALID_ARGUMENT"), sink.drain());
        commands.publish(1, 31, "q", "m1");
        assertEquals(List.of(
            "receipt session=1 corr=31 seq=1",
            "deliver session=1 consumer=1 seq=1 attempt=1 payload=m1"), sink.drain(), "the window is as it was");
    }

    @Test
    void aGrantWidensAPrefetchWindowForGood()
    {
        commands.subscribe(1, 20, "q", "g", 1);
        commands.publish(1, 31, "q", "m1");
        commands.publish(1, 32, "q", "m2");
        commands.publish(1, 33, "q", "m3");
        commands.publish(1, 34, "q", "m4");
        sink.drain();
        assertEquals(1, stateMachine.inFlight("q", "g"));

        commands.grant(1, 1, 1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=2 attempt=1 payload=m2"), sink.drain());

        commands.ack(1, 1, 1, 1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=3 attempt=1 payload=m3"), sink.drain());
        assertEquals(2, stateMachine.inFlight("q", "g"), "window 1 + 1 granted");
        commands.ack(1, 1, 2, 1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=4 attempt=1 payload=m4"), sink.drain());
        assertEquals(2, stateMachine.inFlight("q", "g"));
    }

    @Test
    void creditEarnedBackAfterTheLargestGrantDoesNotOverflow()
    {
        // Found by the model test: an int credit at Integer.MAX_VALUE wrapped negative when deliveries ended.
        commands.subscribe(1, 20, "q", "g", 2);
        commands.publish(1, 31, "q", "m1");
        commands.publish(1, 32, "q", "m2");
        commands.grant(1, 1, Integer.MAX_VALUE);
        commands.ack(1, 1, 1, 1);
        commands.ack(1, 1, 2, 1);
        sink.drain();

        commands.publish(1, 33, "q", "m3");
        assertEquals(List.of(
            "receipt session=1 corr=33 seq=3",
            "deliver session=1 consumer=1 seq=3 attempt=1 payload=m3"), sink.drain());
    }

    @Test
    void badGrantsAreRefused()
    {
        commands.subscribe(1, 20, "q", "g", 1);
        commands.connect(2, "aeron:ipc", 2002);
        sink.drain();

        commands.grant(1, 1, 0);
        commands.grant(1, 1, Integer.MAX_VALUE);
        commands.grant(1, 7, 1);
        commands.grant(2, 1, 1);

        assertEquals(List.of(
            "error session=1 corr=0 INVALID_ARGUMENT",
            "error session=1 corr=0 INVALID_ARGUMENT",
            "error session=1 corr=0 UNKNOWN_CONSUMER",
            "error session=2 corr=0 UNKNOWN_CONSUMER"), sink.drain());
    }

    @Test
    void aTimedOutDeliveryEarnsItsCreditBackInAWindowButNotWithoutOne()
    {
        commands.subscribe(1, 20, "q", "g", 0, 1000);
        commands.publish(1, 31, "q", "m1");
        commands.grant(1, 1, 1);
        sink.drain();

        commands.tickAfterMs(1000);
        assertEquals(List.of(), sink.drain(), "timed out, but the consumer has no credit for the redelivery");
        commands.grant(1, 1, 1);
        assertEquals(List.of("deliver session=1 consumer=1 seq=1 attempt=2 payload=m1"), sink.drain());
    }

    @Test
    void leastOutstandingSendsTheNextMessageToTheLessBusyConsumer()
    {
        commands.declareQueue(1, 10, "q",
            new QueuePolicy(0, 0, BackoffKind.DEFAULT, 0, 0, DispatchStrategy.LEAST_OUTSTANDING));
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(1, 20, "q", "g", 10);
        commands.subscribe(2, 21, "q", "g", 10);
        for (int i = 1; i <= 4; i++)
        {
            commands.publish(1, 30 + i, "q", "m" + i);
        }
        sink.drain(); // alternates while both have the same number outstanding: 1,3 to consumer 1; 2,4 to 2

        commands.ack(2, 2, 2, 1);
        commands.ack(2, 2, 4, 1);
        commands.publish(1, 40, "q", "m5");
        commands.publish(1, 41, "q", "m6");
        commands.publish(1, 42, "q", "m7");

        assertEquals(List.of(
            "receipt session=1 corr=40 seq=5",
            "deliver session=2 consumer=2 seq=5 attempt=1 payload=m5",
            "receipt session=1 corr=41 seq=6",
            "deliver session=2 consumer=2 seq=6 attempt=1 payload=m6",
            "receipt session=1 corr=42 seq=7",
            "deliver session=1 consumer=1 seq=7 attempt=1 payload=m7"), sink.drain(),
            "consumer 2 had none outstanding, consumer 1 two: 2 gets the next two, then they are even");
    }

    @Test
    void roundRobinIgnoresHowBusyAConsumerIs()
    {
        commands.connect(2, "aeron:ipc", 2002);
        commands.subscribe(1, 20, "q", "g", 10);
        commands.subscribe(2, 21, "q", "g", 10);
        for (int i = 1; i <= 4; i++)
        {
            commands.publish(1, 30 + i, "q", "m" + i);
        }
        commands.ack(2, 2, 2, 1);
        commands.ack(2, 2, 4, 1);
        sink.drain();

        commands.publish(1, 40, "q", "m5");
        commands.publish(1, 41, "q", "m6");
        assertEquals(List.of(
            "receipt session=1 corr=40 seq=5",
            "deliver session=1 consumer=1 seq=5 attempt=1 payload=m5",
            "receipt session=1 corr=41 seq=6",
            "deliver session=2 consumer=2 seq=6 attempt=1 payload=m6"), sink.drain());
    }
}
