package io.ringmq.config;

import java.util.List;

/**
 * The configuration cannot be used: a bad value, an unknown key, a broken cross-key rule or an
 * unreadable file. The message holds every problem found, one per line, so an operator can fix
 * them all in one go; the daemon prints it and exits non-zero.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    /** One problem, such as a config file that does not exist. */
    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** Several problems found in one validation pass; must not be empty. */
    public ConfigException(List<String> problems) {
        super(String.join("\n", requireSome(problems)));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as its own line of text, in the order they were found. */
    public List<String> problems() {
        return problems;
    }

    private static List<String> requireSome(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems;
    }
}
