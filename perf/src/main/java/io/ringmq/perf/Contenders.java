package io.ringmq.perf;

import io.ringmq.perf.artemis.ArtemisContender;
import io.ringmq.perf.raw.RawContender;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The systems the perf mains know, by name. */
public final class Contenders
{
    private Contenders()
    {
    }

    /**
     * @param ringmqSettings daemon keys for ringmq runs (ignored by the others).
     * @throws IllegalArgumentException for an unknown name.
     */
    public static Contender byName(final String name, final Map<String, String> ringmqSettings)
    {
        final Map<String, String> settings = new HashMap<>(ringmqSettings);
        settings.putIfAbsent(HarnessContext.IPC_TERM_LENGTH_PROP,
            System.getProperty(HarnessContext.IPC_TERM_LENGTH_PROP, HarnessContext.IPC_TERM_LENGTH_DEFAULT));
        return switch (name.toLowerCase(Locale.ROOT))
        {
            case "ringmq" -> new RingmqContender(settings);
            case "raw" -> new RawContender(ipcTermLength(settings), settings.getOrDefault(
                "ringmq.idle.strategy", System.getProperty("ringmq.idle.strategy", "BACKOFF")));
            case "artemis" -> new ArtemisContender();
            default -> throw new IllegalArgumentException("system '" + name + "' must be ringmq, raw or artemis");
        };
    }

    /** ringmq's IPC term length, from the settings, {@code -Dringmq.aeron.ipc.term.length} or its default. */
    public static int ipcTermLength(final Map<String, String> ringmqSettings)
    {
        final String value = ringmqSettings.getOrDefault(HarnessContext.IPC_TERM_LENGTH_PROP,
            System.getProperty(HarnessContext.IPC_TERM_LENGTH_PROP, HarnessContext.IPC_TERM_LENGTH_DEFAULT));
        return Math.toIntExact(parseSize(value));
    }

    /** {@code 16m}, {@code 64k}, {@code 1g} or plain bytes. */
    static long parseSize(final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        final char unit = value.isEmpty() ? ' ' : value.charAt(value.length() - 1);
        final long scale = switch (unit)
        {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        try
        {
            return Long.parseLong(1 == scale ? value : value.substring(0, value.length() - 1)) * scale;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("size '" + text + "' must be a number of bytes with an optional k, m " +
                "or g");
        }
    }

    /** The fsync policies a system has a matched setting for. */
    public static List<FsyncMode> policies(final Contender contender)
    {
        return contender instanceof RingmqContender ?
            List.of(FsyncMode.NONE, FsyncMode.BATCH, FsyncMode.INTERVAL) : List.of(FsyncMode.NONE, FsyncMode.BATCH);
    }
}
