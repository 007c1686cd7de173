package io.ringmq.client;

import io.ringmq.codecs.ErrorCode;
import org.agrona.concurrent.EpochNanoClock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Finds the node of a list that takes a session: tries the nodes in turn, each for at most {@link #ATTEMPT_NS}, and
 * follows a standby's NOT_PRIMARY redirect to the node it names (a node it names that is not in the list, its UDP
 * ingress endpoint or else its Aeron directory, is tried last). Rounds repeat, {@link #PAUSE_NS} apart, until one takes
 * the client or the deadline passes; at connect, only while some node is there (a primary that answers slowly, say
 * while it waits out a lost standby's ack timeout, or a standby that names it): with no node running, connect fails
 * after one round. A node just lost is tried last in the first round: a pair's other node is the likelier primary,
 * and a daemon that restarts is found in a later round.
 * <p>
 * Used at connect and after a lost node; allocates (it is not on the message path). Not thread-safe.
 */
final class PrimaryFinder
{
    /** Long enough for a live node's media driver and ingress on a loaded machine; short enough to move on. */
    static final long ATTEMPT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final String REDIRECT_MARK = "primary at ";

    /** Opens a session with one node, or throws saying why not (NOT_PRIMARY from a standby). */
    interface Attempt
    {
        void connect(ClientNode node, long timeoutNs);
    }

    private final List<ClientNode> nodes;
    private final EpochNanoClock clock;

    PrimaryFinder(final List<ClientNode> nodes, final EpochNanoClock clock)
    {
        this.nodes = nodes;
        this.clock = clock;
    }

    /**
     * @param lost     the node just lost, tried last in the first round; null at connect.
     * @param deadlineNs when to give up (on the clock given).
     * @param retry    whether to go on after a round in which no node took the client even when no node was there
     *                   (false: only while some node was).
     * @return the node that took the client.
     * @throws RingmqException naming what each node said, once the deadline passes.
     */
    ClientNode find(final ClientNode lost, final long deadlineNs, final boolean retry, final Attempt attempt)
    {
        final Map<ClientNode, String> said = new LinkedHashMap<>();
        boolean firstRound = true;
        while (true)
        {
            boolean someoneThere = false;
            final List<ClientNode> round = new ArrayList<>(nodes);
            if (firstRound && null != lost && round.remove(lost))
            {
                round.add(lost);
            }
            firstRound = false;
            ClientNode unlisted = null;
            for (int i = 0; i < round.size(); i++)
            {
                final ClientNode node = round.get(i);
                final long remainingNs = deadlineNs - clock.nanoTime();
                if (remainingNs <= 0)
                {
                    break;
                }
                try
                {
                    attempt.connect(node, Math.min(ATTEMPT_NS, remainingNs));
                    return node;
                }
                catch (final RingmqException ex)
                {
                    said.put(node, ex.getMessage());
                    someoneThere |= !(ex instanceof NoDaemonException);
                    if (ErrorCode.NOT_PRIMARY == ex.code())
                    {
                        final String named = namedPrimary(ex.getMessage());
                        final ClientNode listed = listedNode(named, node);
                        final int at = null == listed ? -1 : round.indexOf(listed);
                        if (at > i + 1)
                        {
                            round.remove(at);
                            round.add(i + 1, listed); // next: where the standby says the primary is
                        }
                        else if (null == listed && !named.isEmpty() && null == unlisted)
                        {
                            unlisted = unlistedNode(named);
                            if (null != unlisted && !round.contains(unlisted))
                            {
                                round.add(unlisted);
                            }
                        }
                    }
                }
            }
            if ((!retry && !someoneThere) || deadlineNs - clock.nanoTime() <= 0)
            {
                throw new RingmqException(giveUpMessage(said, unlisted));
            }
            LockSupport.parkNanos(PAUSE_NS); // every node refused or was absent: let a promotion or restart happen
        }
    }

    /**
     * What a NOT_PRIMARY message names ("... connect to the primary at HOST:PORT, /aeron/dir": the primary's UDP
     * ingress and Aeron directory; its pair endpoint from a node that has not heard them yet), or "".
     */
    static String namedPrimary(final String message)
    {
        final int at = message.lastIndexOf(REDIRECT_MARK);
        return at < 0 ? "" : message.substring(at + REDIRECT_MARK.length()).trim();
    }

    private ClientNode listedNode(final String named, final ClientNode refusing)
    {
        if (named.isEmpty())
        {
            return null;
        }
        for (final ClientNode node : nodes)
        {
            if (!node.equals(refusing) && node.isNamedIn(named))
            {
                return node;
            }
        }
        return null;
    }

    private static ClientNode unlistedNode(final String named)
    {
        try
        {
            final int comma = named.indexOf(',');
            final ClientNode node = ClientNode.parse((comma < 0 ? named : named.substring(0, comma)).trim());
            return node; // the primary's own client address (its pair endpoint from a standby that has not heard it)
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    private static String giveUpMessage(final Map<ClientNode, String> said, final ClientNode unlisted)
    {
        final StringBuilder message = new StringBuilder("no node of ringmq.client.nodes took this client as the " +
            "primary's:");
        said.forEach((node, why) -> message.append(" [").append(node).append(": ").append(why).append(']'));
        if (null != unlisted)
        {
            message.append(" (a standby named the primary at ").append(unlisted)
                .append(", which is not in ringmq.client.nodes and could not be reached: list the primary's Aeron " +
                "directory or client ingress HOST:PORT there)");
        }
        return message.toString();
    }
}
