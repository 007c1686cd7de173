package io.ringmq.client;

import io.ringmq.codecs.ErrorCode;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The order in which a following client tries its nodes, with the attempts faked. */
class PrimaryFinderTest
{
    private static final ClientNode A = new ClientNode("/dev/shm/ringmq-a", null);
    private static final ClientNode B = new ClientNode("/dev/shm/ringmq-b", null);

    /**
     * Found by FailoverFaultIT: the first node was tried (its daemon just killed), then the second, still a standby,
     * named the first as the primary; moving the first "next" after the second ran past the round's end
     * (IndexOutOfBoundsException: Index 2, Size 1) and the client's consumer died. A node tried already in this round
     * waits for the next round, and the round ends without an exception.
     */
    @Test
    void aStandbyNamingANodeTriedEarlierInTheRoundLeavesItToTheNextRound()
    {
        final List<ClientNode> tried = new ArrayList<>();
        final SystemEpochNanoClock clock = new SystemEpochNanoClock();
        final ClientNode found = new PrimaryFinder(List.of(A, B), clock).find(
            null, clock.nanoTime() + TimeUnit.SECONDS.toNanos(10), true, (node, timeoutNs) ->
            {
                tried.add(node);
                if (tried.size() < 4)
                {
                    throw A.equals(node) ? new RingmqException("no ringmq daemon is running") :
                        new RingmqException(ErrorCode.NOT_PRIMARY, "NOT_PRIMARY: this node is the standby of a " +
                            "pair and takes no clients: connect to the primary at /dev/shm/ringmq-a");
                }
            });
        assertEquals(B, found, "B, promoted by the fourth attempt");
        assertEquals(List.of(A, B, A, B), tried);
    }

    @Test
    void atConnectANodeThatIsThereButSlowIsTriedAgainUntilTheDeadline()
    {
        final List<ClientNode> tried = new ArrayList<>();
        final SystemEpochNanoClock clock = new SystemEpochNanoClock();
        final ClientNode found = new PrimaryFinder(List.of(A, B), clock).find(
            null, clock.nanoTime() + TimeUnit.SECONDS.toNanos(10), false, (node, timeoutNs) ->
            {
                tried.add(node);
                if (A.equals(node))
                {
                    throw new NoDaemonException("no ringmq daemon is running: no active Aeron media driver");
                }
                if (tried.size() < 6) // a primary waiting out its lost standby's ack timeout: no answer for a while
                {
                    throw new RingmqException("no answer from the ringmq daemon to connect within 1000 ms");
                }
            });
        assertEquals(B, found, "B, which answered in the third round");
        assertEquals(List.of(A, B, A, B, A, B), tried);
    }

    @Test
    void atConnectWithNoNodeThereItFailsAfterOneRound()
    {
        final List<ClientNode> tried = new ArrayList<>();
        final SystemEpochNanoClock clock = new SystemEpochNanoClock();
        final RingmqException failed = assertThrows(RingmqException.class, () -> new PrimaryFinder(List.of(A, B), clock)
            .find(null, clock.nanoTime() + TimeUnit.SECONDS.toNanos(10), false, (node, timeoutNs) ->
            {
                tried.add(node);
                throw new NoDaemonException("no ringmq daemon is running: no active Aeron media driver");
            }));
        assertEquals(List.of(A, B), tried, "no waiting for daemons that are not there");
        assertTrue(failed.getMessage().contains("no node of ringmq.client.nodes"), failed.getMessage());
    }
}
