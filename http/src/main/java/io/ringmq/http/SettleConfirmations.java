package io.ringmq.http;

import io.ringmq.client.RingmqClient;
import io.ringmq.client.RingmqException;
import io.ringmq.codecs.ErrorCode;
import io.ringmq.core.protocol.SettleRefusals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Answers an HTTP settle (delete, visibility change, reject) only once the daemon has taken it. A settle frame gets no
 * answer when it is applied, only a refusal when the delivery it names has ended there (a seek, a purge, its time to
 * live, the daemon's own visibility clock), which the face cannot see coming. So after sending settles the face asks
 * the daemon one cheap question on the same session: its answer comes after the refusals of every settle sent before
 * it, so a settle that no refusal named by then was applied. Settles sent while a question is out wait for the next,
 * which covers them all.
 * <p>
 * Poller thread only.
 */
final class SettleConfirmations
{
    private final Consumer<Consumer<RingmqClient>> afterQueuedTasks;
    private List<Pending> unasked = new ArrayList<>();
    private List<Pending> asked = List.of();
    private boolean questionScheduled;

    /** @param afterQueuedTasks runs a task on the poller thread after the tasks already handed to it. */
    SettleConfirmations(final Consumer<Consumer<RingmqClient>> afterQueuedTasks)
    {
        this.afterQueuedTasks = afterQueuedTasks;
    }

    /**
     * A settle was sent: {@code result} completes once the daemon is known to have applied it; a refusal runs
     * {@code refused} instead, which fails it.
     */
    void sent(final String queue, final long consumerId, final long sequence, final int attempt,
        final Runnable refused, final CompletableFuture<Void> result)
    {
        unasked.add(new Pending(queue, consumerId, sequence, attempt, refused, result));
        if (!questionScheduled)
        {
            questionScheduled = true;
            afterQueuedTasks.accept(this::askAndConfirm);
        }
    }

    /**
     * A refusal the client reported: fails the settle it names, if it is one of these.
     *
     * @return whether it named one (it is answered, so needs no other report).
     */
    boolean onRefusal(final RingmqException refusal)
    {
        if (ErrorCode.STALE_DELIVERY != refusal.code() && ErrorCode.UNKNOWN_CONSUMER != refusal.code())
        {
            return false;
        }
        final SettleRefusals.Named named = SettleRefusals.parse(refusal.getMessage());
        if (null == named)
        {
            return false;
        }
        return refuse(named, asked) | refuse(named, unasked);
    }

    /** The client's node is gone: whether what was sent was applied is unknown. */
    void failAll(final RuntimeException why)
    {
        for (final Pending pending : asked)
        {
            pending.result.completeExceptionally(why);
        }
        for (final Pending pending : unasked)
        {
            pending.result.completeExceptionally(why);
        }
        unasked.clear();
    }

    private void askAndConfirm(final RingmqClient client)
    {
        questionScheduled = false;
        if (unasked.isEmpty())
        {
            return;
        }
        asked = unasked;
        unasked = new ArrayList<>();
        RuntimeException unanswered = null;
        try
        {
            client.stats(asked.get(0).queue); // any answer will do: it is the order that tells
        }
        catch (final RingmqException ex)
        {
            if (ErrorCode.UNKNOWN_QUEUE != ex.code()) // that queue is gone: still an answer, after the refusals
            {
                unanswered = ex;
            }
        }
        final List<Pending> confirmed = asked;
        asked = List.of();
        for (final Pending pending : confirmed)
        {
            if (null == unanswered)
            {
                pending.result.complete(null);
            }
            else
            {
                pending.result.completeExceptionally(unanswered);
            }
        }
    }

    private static boolean refuse(final SettleRefusals.Named named, final List<Pending> pendings)
    {
        boolean any = false;
        for (final Pending pending : pendings)
        {
            if (!pending.result.isDone() && named.names(pending.consumerId, pending.sequence, pending.attempt))
            {
                pending.refused.run();
                any = true;
            }
        }
        return any;
    }

    private record Pending(String queue, long consumerId, long sequence, int attempt, Runnable refused,
        CompletableFuture<Void> result)
    {
    }
}
