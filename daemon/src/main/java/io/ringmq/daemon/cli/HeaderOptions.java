package io.ringmq.daemon.cli;

import io.ringmq.client.OutgoingMessage;

import java.util.List;

/** The {@code --header K=V} options of publish and request: text headers, a key at most once. */
final class HeaderOptions
{
    private HeaderOptions()
    {
    }

    /**
     * Adds each {@code K=V} to the message.
     *
     * @throws IllegalArgumentException naming the option that is not K=V, or a key given twice.
     */
    static OutgoingMessage addTo(final OutgoingMessage message, final List<String> headers)
    {
        for (final String header : headers)
        {
            final int equals = header.indexOf('=');
            if (equals < 1)
            {
                throw new IllegalArgumentException("--header " + header + " is not K=V (a key, then =)");
            }
            message.header(header.substring(0, equals), header.substring(equals + 1));
        }
        return message;
    }
}
