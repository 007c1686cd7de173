package io.ringmq.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The value types keys can have. */
final class ValueTypes {

    static final ValueType<String> STRING = new ValueType<>("any text", (text, env) -> text, s -> s);

    static final ValueType<Integer> INT = new ValueType<>("an integer", (text, env) -> Integer.parseInt(text), String::valueOf);

    static final ValueType<Long> LONG = new ValueType<>("an integer", (text, env) -> Long.parseLong(text), String::valueOf);

    /** Only true/false: "yes", "1" or a typo silently reading as false would hide mistakes. */
    static final ValueType<Boolean> BOOLEAN = new ValueType<>("true or false", (text, env) -> parseBoolean(text), String::valueOf);

    /** Bytes. */
    static final ValueType<Long> SIZE = new ValueType<>(
            "a size in bytes, optionally with suffix k, m or g (1k = 1024)",
            (text, env) -> ByteSize.parse(text), ByteSize::format);

    /** Nanoseconds. */
    static final ValueType<Long> DURATION = new ValueType<>(
            "a duration with unit ns, us, ms, s, m, h or d (a bare number is ms)",
            (text, env) -> Durations.parseNanos(text), Durations::format);

    /** CPUs to pin threads to, e.g. 2 or 2,4-5; empty = not pinned. */
    static final ValueType<CpuList> CPU_LIST = new ValueType<>(
            "empty (not pinned) or CPU numbers and ranges separated by commas (e.g. 2 or 2,4-5), each CPU once, at most "
                    + CpuList.MAX_CPU,
            (text, env) -> CpuList.parse(text), CpuList::toString);

    static final ValueType<Path> PATH = new ValueType<>("a path (a leading ~ is user.home)", ValueTypes::parsePath, Path::toString);

    private ValueTypes() {
    }

    /** Case-insensitive, and '-' and '_' are optional, so busy-spin, busy_spin and BUSY_SPIN all work. */
    static <E extends Enum<E>> ValueType<E> enumOf(Class<E> type) {
        E[] constants = type.getEnumConstants();
        String names = Arrays.stream(constants).map(Enum::name).collect(Collectors.joining(", "));
        return new ValueType<>("one of " + names, (text, env) -> {
            String wanted = looseName(text);
            for (E constant : constants) {
                if (looseName(constant.name()).equals(wanted)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("not one of " + names + ": " + text);
        }, Enum::name);
    }

    private static String looseName(String name) {
        return name.replace("-", "").replace("_", "").toUpperCase(Locale.ROOT);
    }

    private static boolean parseBoolean(String text) {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("not true or false: " + text);
    }

    private static Path parsePath(String text, Environment env) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        // Only "~" and "~/..." mean the user's home; "~bob" is left alone rather than guessed at.
        if (text.equals("~")) {
            return Path.of(env.require(Environment.USER_HOME));
        }
        if (text.startsWith("~/")) {
            return Path.of(env.require(Environment.USER_HOME), text.substring(2));
        }
        return Path.of(text);
    }
}
