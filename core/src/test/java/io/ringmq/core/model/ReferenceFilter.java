package io.ringmq.core.model;

import io.ringmq.core.testing.HeadersText;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference model's header filter, written from the README's grammar (not from the daemon's parser): clauses
 * joined by {@code &&}; each a key, then {@code =} (value equal), {@code ^=} (value starts with), {@code ?} (present),
 * or {@code <}, {@code <=}, {@code >}, {@code >=} (the value, a decimal number, compared); key and value trimmed; a key
 * holds none of {@code = ^ ? < > & !}; at most 16 clauses, 1024 bytes, numbers of at most 18 digits.
 */
final class ReferenceFilter
{
    private static final Pattern CLAUSE = Pattern.compile("([^=^?<>&!]*)(\\^=|<=|>=|=|<|>|\\?)(.*)", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+)(?:\\.(\\d+))?");

    private record Clause(String key, String operator, String value)
    {
    }

    private final List<Clause> clauses;

    private ReferenceFilter(final List<Clause> clauses)
    {
        this.clauses = clauses;
    }

    /** @return the filter, or null if the expression is not valid. */
    static ReferenceFilter parse(final String expression)
    {
        if (expression.isBlank() || expression.getBytes(StandardCharsets.UTF_8).length > 1024)
        {
            return null;
        }
        final List<Clause> clauses = new ArrayList<>();
        for (final String part : expression.split("&&", -1))
        {
            final Matcher matcher = CLAUSE.matcher(part.trim());
            if (!matcher.matches())
            {
                return null;
            }
            final Clause clause = new Clause(matcher.group(1).trim(), matcher.group(2), matcher.group(3).trim());
            final boolean comparison = Arrays.asList("<", "<=", ">", ">=").contains(clause.operator());
            if (clause.key().isEmpty() || ("?".equals(clause.operator()) && !clause.value().isEmpty()) ||
                (comparison && null == number(clause.value())))
            {
                return null;
            }
            clauses.add(clause);
        }
        return clauses.size() > 16 ? null : new ReferenceFilter(clauses);
    }

    /** The same clauses written one way: trimmed, joined by {@code &&}; two declarations agree when these do. */
    String canonical()
    {
        final StringBuilder out = new StringBuilder();
        for (final Clause clause : clauses)
        {
            out.append(out.length() == 0 ? "" : "&&").append(clause.key()).append(clause.operator())
                .append(clause.value());
        }
        return out.toString();
    }

    boolean matches(final List<HeadersText.Entry> headers)
    {
        for (final Clause clause : clauses)
        {
            final HeadersText.Entry entry = headers.stream()
                .filter((e) -> e.key().equals(clause.key())).findFirst().orElse(null);
            if (null == entry || !matches(clause, entry.value()))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(final Clause clause, final byte[] value)
    {
        final byte[] wanted = clause.value().getBytes(StandardCharsets.UTF_8);
        switch (clause.operator())
        {
            case "?":
                return true;
            case "=":
                return Arrays.equals(value, wanted);
            case "^=":
                return value.length >= wanted.length && Arrays.equals(value, 0, wanted.length, wanted, 0, wanted.length);
            default:
                final BigDecimal actual = number(new String(value, StandardCharsets.ISO_8859_1));
                if (null == actual)
                {
                    return false;
                }
                final int order = actual.compareTo(number(clause.value()));
                return switch (clause.operator())
                {
                    case "<" -> order < 0;
                    case "<=" -> order <= 0;
                    case ">" -> order > 0;
                    default -> order >= 0;
                };
        }
    }

    /** The decimal number the text spells (at most 18 digits), or null. */
    private static BigDecimal number(final String text)
    {
        final Matcher matcher = NUMBER.matcher(text);
        if (!matcher.matches())
        {
            return null;
        }
        final int digits = matcher.group(1).length() + (null == matcher.group(2) ? 0 : matcher.group(2).length());
        return digits > 18 ? null : new BigDecimal(text);
    }
}
