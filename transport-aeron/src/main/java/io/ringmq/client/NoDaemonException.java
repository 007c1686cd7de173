package io.ringmq.client;

/**
 * Nothing answers at a node: no live media driver in its directory, or none listening on its ingress. Told apart from
 * a node that is there but slow or not the primary, so that finding the primary at connect can fail at once when no
 * node runs, and keep trying until its timeout when one does.
 */
final class NoDaemonException extends RingmqException
{
    private static final long serialVersionUID = 1L;

    NoDaemonException(final String message)
    {
        super(message);
    }
}
