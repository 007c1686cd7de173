package io.ringmq.http;

/**
 * What the face holds at one moment, for its metrics.
 *
 * @param receivesWaiting    HTTP receives waiting for messages.
 * @param deliveriesInFlight messages handed out and not yet deleted, given back or past their timeout.
 * @param deliveriesHeld     messages that came after their receive had answered, waiting for the next one.
 * @param sendsWaiting       sends waiting for their receipt.
 * @param consumers          the face's consumers: one per queue and group receiving through it.
 */
public record FaceLoad(
    long receivesWaiting, long deliveriesInFlight, long deliveriesHeld, long sendsWaiting, long consumers)
{
    public static final FaceLoad NONE = new FaceLoad(0, 0, 0, 0, 0);
}
