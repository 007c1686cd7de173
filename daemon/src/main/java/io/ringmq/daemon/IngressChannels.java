package io.ringmq.daemon;

import io.aeron.ChannelUri;
import io.aeron.driver.media.UdpChannel;
import io.ringmq.config.ConfigException;
import io.ringmq.config.RingmqConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The ingress channels of a config, checked with Aeron's own parsers before the daemon touches any data. The config
 * module does not depend on Aeron, so it checks only how a channel begins; a channel Aeron refuses would otherwise
 * surface as the media driver's error at the first subscription, after the journal was opened. Every refusal is
 * reported at once, as a configuration problem naming the key, the value and what Aeron said.
 */
public final class IngressChannels
{
    private IngressChannels()
    {
    }

    /**
     * @throws ConfigException naming each ingress channel key whose value Aeron refuses.
     */
    public static void requireValid(final RingmqConfig config)
    {
        final List<String> problems = new ArrayList<>();
        config.ingressChannels().forEach((key, channel) ->
        {
            final String refusal = refusal(channel);
            if (null != refusal)
            {
                problems.add(config.invalidValue(key, "a channel Aeron accepts, but Aeron says: " + refusal));
            }
        });
        if (!problems.isEmpty())
        {
            throw new ConfigException(problems);
        }
    }

    /** Null when Aeron accepts the channel for a subscription, else what it says is wrong. */
    static String refusal(final String channel)
    {
        try
        {
            // Syntax and media (ipc or udp).
            if (ChannelUri.parse(channel).isUdp())
            {
                // What the driver checks of a UDP subscription: an endpoint or control mode, addresses that resolve.
                UdpChannel.parse(channel);
            }
            return null;
        }
        catch (final RuntimeException ex)
        {
            Throwable cause = ex;
            while (null != cause.getCause() && null != cause.getCause().getMessage())
            {
                cause = cause.getCause(); // the driver wraps the parser's own words in an exception of its own
            }
            return null == cause.getMessage() ? cause.toString() : cause.getMessage();
        }
    }
}
