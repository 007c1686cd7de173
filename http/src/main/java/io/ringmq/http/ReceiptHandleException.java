package io.ringmq.http;

/** A receipt handle that is malformed, or names a delivery that is no longer in flight to the gateway. */
public final class ReceiptHandleException extends RuntimeException
{
    private final boolean malformed;

    public ReceiptHandleException(final String message, final boolean malformed)
    {
        super(message);
        this.malformed = malformed;
    }

    /** True: not a handle this gateway makes (HTTP 400); false: it was, but its delivery ended (HTTP 410). */
    public boolean malformed()
    {
        return malformed;
    }
}
