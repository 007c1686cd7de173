package io.ringmq.config;

/**
 * Declaration of one configuration key; all of them live in {@link ConfigKeys}.
 *
 * @param name         the property name, e.g. {@code ringmq.ring.size}
 * @param type         how its text is parsed
 * @param defaultValue used when neither the file nor a system property sets it
 * @param rule         what values are allowed beyond the type's syntax
 * @param doc          one line for the reference table
 */
record ConfigKey<T>(String name, ValueType<T> type, DefaultValue defaultValue, Rule<T> rule, String doc) {

    /** What is allowed, for messages and the reference table. */
    String allowed() {
        return rule.acceptsAll() ? type.expected() : rule.allowed();
    }
}
