package io.ringmq.http;

import io.ringmq.client.BrowsedMessage;
import io.ringmq.client.GroupListing;
import io.ringmq.client.OutgoingMessage;
import io.ringmq.client.QueueListing;
import io.ringmq.client.QueueOptions;
import io.ringmq.client.QueueStats;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP face asks of the daemon. Every method returns at once; the future completes on the gateway's client
 * thread, so a caller must not block that thread in a callback. A future fails with
 * {@link io.ringmq.client.RingmqException} when the daemon refuses (its {@code code()} says why), with
 * {@link ReceiptHandleException} when a receipt handle is malformed or no longer current, and with
 * {@link IllegalArgumentException} for a value the client rejects before sending.
 */
public interface QueueService
{
    /** Publishes one message; completes with its sequence in the queue once the daemon has journaled it. */
    CompletableFuture<Long> send(String queue, byte[] body, OutgoingMessage message);

    /**
     * Up to {@code request.max()} messages for a group, each in flight to the gateway until deleted, given back, or
     * its visibility timeout passes. Completes as soon as at least one message is there, or empty once
     * {@code request.waitMs()} has passed without one.
     */
    CompletableFuture<List<ReceivedMessage>> receive(String queue, ReceiveRequest request);

    /** Acks the message a handle names: done for its group. */
    CompletableFuture<Void> delete(String queue, String receiptHandle);

    /**
     * Sets how long the message stays invisible from now: 0 gives it back at once (a nack: its next attempt), more
     * extends its visibility timeout to now + {@code timeoutMs}.
     */
    CompletableFuture<Void> changeVisibility(String queue, String receiptHandle, long timeoutMs);

    /** Sends the message to its group's dead-letter queue. */
    CompletableFuture<Void> reject(String queue, String receiptHandle);

    /** Creates the queue with these settings, or checks it has them: true when created. */
    CompletableFuture<Boolean> declareQueue(String queue, QueueOptions options);

    /** Queues whose names match the pattern ({@code *} any run of characters, {@code ?} one; "" = all). */
    CompletableFuture<List<QueueListing>> queues(String pattern);

    /** The queue's consumer groups. */
    CompletableFuture<List<GroupListing>> groups(String queue);

    /** What the queue holds and what its limits did. */
    CompletableFuture<QueueStats> stats(String queue);

    /** Drops every message the queue holds: how many. */
    CompletableFuture<Long> purge(String queue);

    /** Deletes the queue (with {@code force}, even while consumers are attached): messages dropped. */
    CompletableFuture<Long> deleteQueue(String queue, boolean force);

    /** Deletes one consumer group (with {@code force}, even while consumers are attached): messages freed. */
    CompletableFuture<Long> deleteGroup(String queue, String group, boolean force);

    /** The queue's dead letters ({@code <queue>.dlq}), oldest first, without consuming them; group "" = all, max 0 = all. */
    CompletableFuture<List<BrowsedMessage>> deadLetters(String queue, String group, long max);

    /** Moves dead letters back to the queue, each for the group that dead-lettered it: how many. */
    CompletableFuture<Long> redrive(String queue, String group, long count);

    /** Whether the gateway's client has a daemon (false while it looks for one after losing it, and once closed). */
    boolean connected();

    /** What it holds now, for the face's metrics. */
    default CompletableFuture<FaceLoad> load()
    {
        return CompletableFuture.completedFuture(FaceLoad.NONE);
    }
}
