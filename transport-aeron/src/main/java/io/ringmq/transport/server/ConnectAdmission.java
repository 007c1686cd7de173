package io.ringmq.transport.server;

import io.ringmq.codecs.ErrorCode;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the ingress journals a Connect: its response channel must be one the daemon may publish to
 * ({@link ResponseChannels}), and Connects over all clients come at most {@code ringmq.max.connects.per.second}. The
 * state machine never sees a refused Connect, so a replay opens exactly the sessions the live run did.
 * <p>
 * A refusal is answered (the ingress journals a ConnectRefused, and the egress sends the Error on the channel) only
 * when its channel may be published to, and only at the same rate again: answering costs a journal record and a
 * short-lived publication, so a flood of Connects past the rate is counted, not answered.
 * <p>
 * Not thread-safe: owned by the ingress; its counters may be read from any thread.
 */
public final class ConnectAdmission
{
    private final ResponseChannels channels;
    private final long perSecond;
    /** Null when unlimited. */
    private final TokenBucket connects;
    private final TokenBucket answers;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();

    /** @param perSecond Connects taken (and refusals answered) per second; 0 = no limit. */
    ConnectAdmission(final ResponseChannels channels, final long perSecond)
    {
        this.channels = channels;
        this.perSecond = perSecond;
        this.connects = 0 == perSecond ? null : new TokenBucket(perSecond);
        this.answers = 0 == perSecond ? null : new TokenBucket(perSecond);
    }

    /** Takes every Connect whose channel is IPC or the sender's own address, at any rate, terms up to 1g (tests). */
    public static ConnectAdmission unbounded()
    {
        return new ConnectAdmission(new ResponseChannels(1 << 30, List.of()), 0);
    }

    /**
     * @param maxTermLength the largest term a response channel may ask for ({@code ringmq.response.max.term.length}).
     * @param allowedHosts  hosts a UDP response channel may name besides its sender's address
     *                      ({@code ringmq.response.allowed.hosts}).
     * @param perSecond     Connects taken per second ({@code ringmq.max.connects.per.second}); 0 = no limit.
     */
    public static ConnectAdmission of(final int maxTermLength, final List<String> allowedHosts, final long perSecond)
    {
        return new ConnectAdmission(new ResponseChannels(maxTermLength, allowedHosts), perSecond);
    }

    /**
     * @param sender the Aeron source identity of the image the Connect came on (null if not known).
     * @return null to journal the Connect; else why not, answered or not.
     */
    ResponseChannels.Refusal admit(final String responseChannel, final String sender, final long nowNs)
    {
        ResponseChannels.Refusal refusal = channels.check(responseChannel, sender);
        if (null == refusal && null != connects && !connects.tryTake(nowNs))
        {
            refusal = new ResponseChannels.Refusal(ErrorCode.TOO_MANY_CONNECTS, "more than " + perSecond +
                " Connects in a second (ringmq.max.connects.per.second): try again shortly");
        }
        if (null == refusal)
        {
            return null;
        }
        refused.incrementAndGet();
        if (refusal.answered() && null != answers && !answers.tryTake(nowNs))
        {
            refusal = refusal.unanswered();
        }
        if (!refusal.answered())
        {
            unanswered.incrementAndGet();
        }
        return refusal;
    }

    /** Connects refused since start. */
    long refused()
    {
        return refused.get();
    }

    /** Of those, the ones answered nothing: a channel the daemon may not publish to, or past the answer rate. */
    long unanswered()
    {
        return unanswered.get();
    }
}
