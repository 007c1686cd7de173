package io.ringmq.http;

/**
 * Queue and group names as the daemon takes them ({@link io.ringmq.core.protocol.Names}), checked before a request
 * goes to the service so that a name that could never be valid is a 400 from the face, not a round trip.
 */
final class Names
{
    private Names()
    {
    }

    /** @throws RefusedRequest INVALID_NAME naming what the name is for, e.g. "queue". */
    static String checked(final String what, final String name)
    {
        if (!io.ringmq.core.protocol.Names.isValid(name))
        {
            throw RefusedRequest.invalidName(what + " name '" + name + "' is invalid: must be " +
                io.ringmq.core.protocol.Names.RULE);
        }
        return name;
    }
}
