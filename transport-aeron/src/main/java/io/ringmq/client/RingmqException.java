package io.ringmq.client;

import io.ringmq.codecs.ErrorCode;

/**
 * A request was refused by the daemon (with its {@link ErrorCode}), timed out, or could not reach a daemon at all
 * ({@link #code()} is {@code null} for failures on the client's side).
 */
public class RingmqException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    public RingmqException(final String message)
    {
        this(null, message);
    }

    public RingmqException(final ErrorCode code, final String message)
    {
        super(null == code ? message : code + ": " + message);
        this.code = code;
    }

    /** The daemon's error code, or {@code null} if the failure happened on the client's side. */
    public ErrorCode code()
    {
        return code;
    }
}
