package io.ringmq.client;

import io.ringmq.codecs.ErrorCode;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
