package io.ringmq.client;

import io.ringmq.codecs.DispatchStrategy;

/**
 * One consumer group as {@link RingmqClient#groups} lists it.
 *
 * @param name            the group.
 * @param lag             messages the group has still to settle (never given to it, or given and not settled).
 * @param consumers       consumers attached.
 * @param inFlight        deliveries in flight.
 * @param strategy        which consumer gets the next delivery.
 * @param deadLetterQueue where its failed messages go.
 * @param filtered        messages its header filter refused: settled for it, never delivered (version 9).
 * @param filter          its header filter, empty for none (version 9).
 */
public record GroupListing(
    String name,
    long lag,
    int consumers,
    long inFlight,
    DispatchStrategy strategy,
    String deadLetterQueue,
    long filtered,
    String filter)
{
}
