package io.ringmq.core.model;

import java.util.regex.Pattern;

/**
 * The model's reading of a wildcard subscription's pattern, from the README's rules and not from the daemon's code:
 * dot-separated segments; {@code *} is any one segment, {@code >} (last only) one segment or more; a queue whose last
 * segment is {@code dlq} only for a pattern whose last segment is {@code dlq}. Done with regular expressions here.
 */
final class ReferencePattern
{
    private static final Pattern GRAMMAR =
        Pattern.compile("(\\*|[A-Za-z0-9_-]+)(\\.(\\*|[A-Za-z0-9_-]+))*(\\.>)?|>");

    private ReferencePattern()
    {
    }

    /** Whether a Subscribe's queue asks for a pattern: it holds a wildcard character. */
    static boolean isPattern(final String queue)
    {
        return queue.contains("*") || queue.contains(">");
    }

    static boolean isValid(final String pattern)
    {
        return pattern.length() <= 255 && isPattern(pattern) && GRAMMAR.matcher(pattern).matches();
    }

    static boolean matches(final String pattern, final String queue)
    {
        if (queue.matches("(.*\\.)?dlq") && !pattern.matches("(.*\\.)?dlq"))
        {
            return false;
        }
        final StringBuilder regex = new StringBuilder();
        final String[] tokens = pattern.split("\\.");
        for (int i = 0; i < tokens.length; i++)
        {
            regex.append(0 == i ? "" : "\\.");
            switch (tokens[i])
            {
                case "*" -> regex.append("[^.]*");
                case ">" -> regex.append("[^.]*(\\.[^.]*)*");
                default -> regex.append(Pattern.quote(tokens[i]));
            }
        }
        return Pattern.compile(regex.toString()).matcher(queue).matches();
    }
}
