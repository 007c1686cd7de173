package io.ringmq.http;

import java.util.regex.Pattern;

/**
 * Queue and group names as the daemon takes them, checked before a request goes to the service so that a name that
 * could never be valid is a 400 from the face, not a round trip.
 */
final class Names
{
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    private Names()
    {
    }

    /** @throws RefusedRequest INVALID_NAME naming what the name is for, e.g. "queue". */
    static String checked(final String what, final String name)
    {
        if (!NAME.matcher(name).matches())
        {
            throw RefusedRequest.invalidName(what + " name '" + name + "' is invalid: must be 1 to 255 of " +
                "A-Z a-z 0-9 . _ -");
        }
        return name;
    }
}
