package io.ringmq.config;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a key accepts beyond its type's syntax.
 *
 * @param allowed noun phrase read after "must be" in messages and shown in the reference table;
 *                empty when every value of the type is fine
 * @param test    true for acceptable values
 */
record Rule<T>(String allowed, Predicate<? super T> test) {

    static <T> Rule<T> any() {
        return new Rule<>("", value -> true);
    }

    boolean acceptsAll() {
        return allowed.isEmpty();
    }

    boolean accepts(T value) {
        return test.test(value);
    }

    static <T extends Comparable<T>> Rule<T> between(T min, T max, Function<T, String> format) {
        return new Rule<>("between " + format.apply(min) + " and " + format.apply(max),
                value -> value.compareTo(min) >= 0 && value.compareTo(max) <= 0);
    }

    static <T extends Number> Rule<T> powerOfTwoBetween(T min, T max, Function<T, String> format) {
        return new Rule<>("a power of two between " + format.apply(min) + " and " + format.apply(max), value -> {
            long v = value.longValue();
            return v >= min.longValue() && v <= max.longValue() && Long.bitCount(v) == 1;
        });
    }

    static Rule<Long> multipleBetween(long multiple, long min, long max, Function<Long, String> format) {
        return new Rule<>("a multiple of " + multiple + " between " + format.apply(min) + " and " + format.apply(max),
                value -> value >= min && value <= max && value % multiple == 0);
    }

    /** For settings where 0 turns the feature off and anything else must be in range. */
    static Rule<Long> zeroOr(Rule<Long> otherwise) {
        return new Rule<>("0 (off) or " + otherwise.allowed(), value -> value == 0 || otherwise.accepts(value));
    }

    static Rule<String> startsWith(String what, String prefix) {
        return new Rule<>(what + " starting with " + prefix, value -> value.startsWith(prefix));
    }

    /** For optional settings where empty means "not used". */
    /** HOST:PORT, the form of an Aeron UDP endpoint (a bracketed IPv6 address as host too). */
    static Rule<String> hostPort() {
        return new Rule<>("HOST:PORT", value -> value.matches("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.\\-_]+):[0-9]{1,5}")
                && Integer.parseInt(value.substring(value.lastIndexOf(':') + 1)) <= 65_535);
    }

    static Rule<String> emptyOr(Rule<String> otherwise) {
        return new Rule<>("empty (off) or " + otherwise.allowed(), value -> value.isEmpty() || otherwise.accepts(value));
    }
}
