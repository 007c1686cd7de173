package io.ringmq.config;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How one kind of value is read from text and written back. Parsing only checks the syntax;
 * ranges belong to the key's {@link Rule}, so one type serves keys with different limits.
 *
 * @param expected  what valid text looks like, as a noun phrase for messages ("an integer")
 * @param parser    text (already trimmed) to value; throws IllegalArgumentException on bad syntax
 * @param formatter value to the text a user would write for it
 */
record ValueType<T>(String expected, BiFunction<String, Environment, T> parser, Function<T, String> formatter) {

    /** @throws IllegalArgumentException when the text does not have this type's syntax */
    T parse(String text, Environment environment) {
        return parser.apply(text, environment);
    }

    String format(T value) {
        return formatter.apply(value);
    }

    /** Formats a value that came out of a heterogeneous map and is known to be of this type. */
    @SuppressWarnings("unchecked")
    String formatUnchecked(Object value) {
        return formatter.apply((T) value);
    }
}
