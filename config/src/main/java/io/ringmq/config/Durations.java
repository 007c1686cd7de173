package io.ringmq.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as a number with a unit: {@code 250ms}, {@code 5s}, {@code 10m}; a bare number
 * is milliseconds because that is what people mean by "timeout=500". Values are nanoseconds.
 * {@code h} and {@code d} are accepted besides ns/us/ms/s/m because some ranges are stated in hours and days
 * ({@code max.age} and a queue's delay go up to 365 days). {@link #format} does not write days, so what it prints
 * for a value (the configuration table's defaults and ranges) reads the same as before {@code d} existed.
 */
public final class Durations {

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)(ns|us|ms|s|m|h|d)?");

    /** Largest first, so formatting picks the coarsest unit that is exact. */
    private static final String[] UNITS = {"h", "m", "s", "ms", "us", "ns"};

    private Durations() {
    }

    /** @throws IllegalArgumentException when the text is not a duration or overflows a long of nanoseconds */
    public static long parseNanos(String text) {
        Matcher m = SYNTAX.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long number = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        try {
            return Math.multiplyExact(number, nanosPer(unit));
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("duration too long: " + text, overflow);
        }
    }

    public static String format(long nanos) {
        if (nanos == 0) {
            return "0";
        }
        for (String unit : UNITS) {
            long per = nanosPer(unit);
            if (nanos % per == 0) {
                return nanos / per + unit;
            }
        }
        throw new AssertionError("ns divides every value");
    }

    private static long nanosPer(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }
}
