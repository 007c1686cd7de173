package io.ringmq.config;

import java.util.function.Function;

/**
 * A key's default, as text that goes through the same parser and rule as user input so a
 * default can never be something a user could not have written.
 *
 * @param markdown how the reference table shows it
 * @param resolver the default text in a given environment; may throw {@link Environment.MissingProperty}
 */
record DefaultValue(String markdown, Function<Environment, String> resolver) {

    static DefaultValue literal(String text) {
        return new DefaultValue(text.isEmpty() ? "(empty)" : code(text), env -> text);
    }

    /** Text with {@code ${property}} placeholders filled from the environment. */
    static DefaultValue template(String template) {
        return new DefaultValue(code(template), env -> env.expand(template));
    }

    /** A default chosen by code; {@code markdown} explains the choice for the reference table. */
    static DefaultValue computed(String markdown, Function<Environment, String> resolver) {
        return new DefaultValue(markdown, resolver);
    }

    String resolve(Environment environment) {
        return resolver.apply(environment);
    }

    static String code(String text) {
        return "`" + text + "`";
    }
}
