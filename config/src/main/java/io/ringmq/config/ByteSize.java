package io.ringmq.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte counts written as a plain number or with a binary suffix: {@code 512}, {@code 64k}, {@code 8m}, {@code 1g}. */
public final class ByteSize {

    static final long K = 1024L;
    static final long M = K * 1024L;
    static final long G = M * 1024L;

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)([kmg]?)");

    private ByteSize() {
    }

    /** @throws IllegalArgumentException when the text is not a size or does not fit a long */
    public static long parse(String text) {
        Matcher m = SYNTAX.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        long number = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "k" -> K;
            case "m" -> M;
            case "g" -> G;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(number, unit);
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("size too large: " + text, overflow);
        }
    }

    /** The shortest exact spelling, so {@code format(parse(s))} reads the way people write sizes. */
    static String format(long bytes) {
        if (bytes != 0 && bytes % G == 0) {
            return bytes / G + "g";
        }
        if (bytes != 0 && bytes % M == 0) {
            return bytes / M + "m";
        }
        if (bytes != 0 && bytes % K == 0) {
            return bytes / K + "k";
        }
        return Long.toString(bytes);
    }
}
