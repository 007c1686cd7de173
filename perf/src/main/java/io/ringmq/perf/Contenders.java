package io.ringmq.perf;

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
        return switch (name.toLowerCase(Locale.ROOT))
        {
            case "ringmq" -> new RingmqContender(ringmqSettings);
            default -> throw new IllegalArgumentException("system '" + name + "' must be ringmq, raw or artemis");
        };
    }

    /** The fsync policies a system has a matched setting for. */
    public static List<FsyncMode> policies(final Contender contender)
    {
        return contender instanceof RingmqContender ?
            List.of(FsyncMode.NONE, FsyncMode.BATCH, FsyncMode.INTERVAL) : List.of(FsyncMode.NONE, FsyncMode.BATCH);
    }
}
