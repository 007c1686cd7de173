package io.ringmq.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A constraint between keys, checked only once each key involved is valid on its own (a cross
 * check on a value that failed to parse would only add noise to the report).
 *
 * @param subject   the key reported as invalid when the rule is broken
 * @param others    the other keys the rule reads
 * @param allowed   what the rule requires of the subject, for the reference table
 * @param violation given the resolved values, the "must be ..." text when broken, else empty
 */
record CrossRule(ConfigKey<?> subject, List<ConfigKey<?>> others, String allowed,
                 Function<Values, Optional<String>> violation) {

    /** Typed access to validated values while rules run. */
    interface Values {
        <T> T get(ConfigKey<T> key);
    }
}
