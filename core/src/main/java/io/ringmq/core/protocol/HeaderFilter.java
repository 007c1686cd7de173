package io.ringmq.core.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A consumer group's filter over message headers ({@link HeadersLayout}): clauses joined by {@code &&}, every one of
 * which a message must match.
 * <pre>
 *   region=eu      the header region is present and its value is exactly eu
 *   region^=eu     the value starts with eu
 *   region?        the header is present, whatever its value
 *   price&gt;=100     the value is a decimal number (-12, 3.25) and at least 100; also &lt;, &lt;=, &gt;
 *   region=eu &amp;&amp; price&lt;10   both
 * </pre>
 * A key is the text before the operator, a value the text after it, both with spaces around them trimmed; a key holds
 * none of {@code = ^ ? < > & !}. A value is compared with the header's bytes (a text or a byte value alike); a header
 * whose value is not a decimal number matches no comparison.
 * <p>
 * Parsed once, when a group is declared; {@link #matches} then reads the header bytes in place and allocates nothing.
 * Immutable, so safe to share; the canonical {@link #expression()} (clauses in their order, trimmed, joined by
 * {@code &&}) is what the state keeps, journals and compares.
 */
public final class HeaderFilter
{
    /** Most clauses one filter may have. */
    public static final int MAX_CLAUSES = 16;
    /** Longest expression, in UTF-8 bytes. */
    public static final int MAX_LENGTH = 1024;
    /** Digits a number may have: more would not be exact in a long. */
    private static final int MAX_DIGITS = 18;
    private static final String AND = "&&";
    private static final String KEY_FORBIDDEN = "=^?<>&!";

    private static final byte EQUALS = 0;
    private static final byte PREFIX = 1;
    private static final byte EXISTS = 2;
    private static final byte LESS = 3;
    private static final byte LESS_OR_EQUAL = 4;
    private static final byte GREATER = 5;
    private static final byte GREATER_OR_EQUAL = 6;
    private static final String[] OPERATORS = {"=", "^=", "?", "<", "<=", ">", ">="};

    private final String expression;
    private final UnsafeBuffer[] keys;
    private final byte[] operators;
    private final UnsafeBuffer[] values;
    private final double[] numbers;

    private HeaderFilter(
        final String expression,
        final UnsafeBuffer[] keys,
        final byte[] operators,
        final UnsafeBuffer[] values,
        final double[] numbers)
    {
        this.expression = expression;
        this.keys = keys;
        this.operators = operators;
        this.values = values;
        this.numbers = numbers;
    }

    /**
     * @return the filter the expression describes.
     * @throws IllegalArgumentException naming what is wrong with it (empty, too long, a clause without a key or an
     *                                  operator, a comparison with something that is not a number).
     */
    public static HeaderFilter parse(final String text)
    {
        if (null == text || text.isBlank())
        {
            throw new IllegalArgumentException("filter is empty: give clauses like region=eu, joined by &&");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH)
        {
            throw new IllegalArgumentException("filter is longer than " + MAX_LENGTH + " bytes");
        }
        final List<String> clauses = splitClauses(text);
        if (clauses.size() > MAX_CLAUSES)
        {
            throw new IllegalArgumentException("filter has " + clauses.size() + " clauses, at most " + MAX_CLAUSES);
        }
        final int count = clauses.size();
        final UnsafeBuffer[] keys = new UnsafeBuffer[count];
        final byte[] operators = new byte[count];
        final UnsafeBuffer[] values = new UnsafeBuffer[count];
        final double[] numbers = new double[count];
        final StringBuilder canonical = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            final String clause = clauses.get(i);
            final int at = operatorIndex(clause);
            final String key = clause.substring(0, Math.max(at, 0)).trim();
            if (at < 0 || key.isEmpty())
            {
                throw new IllegalArgumentException("filter clause '" + clause + "' is not KEY=VALUE, KEY^=PREFIX, " +
                    "KEY?, or KEY<N, KEY<=N, KEY>N, KEY>=N");
            }
            final byte operator = operatorAt(clause, at);
            final String value = clause.substring(at + OPERATORS[operator].length()).trim();
            if (EXISTS == operator && !value.isEmpty())
            {
                throw new IllegalArgumentException("filter clause '" + clause + "': nothing may follow '?'");
            }
            if (isComparison(operator))
            {
                final byte[] digits = value.getBytes(StandardCharsets.UTF_8);
                numbers[i] = parseNumber(new UnsafeBuffer(digits), 0, digits.length);
                if (Double.isNaN(numbers[i]))
                {
                    throw new IllegalArgumentException("filter clause '" + clause + "' compares with '" + value +
                        "', which is not a decimal number (like 100, -3 or 2.5, at most " + MAX_DIGITS + " digits)");
                }
            }
            keys[i] = new UnsafeBuffer(key.getBytes(StandardCharsets.UTF_8));
            operators[i] = operator;
            values[i] = new UnsafeBuffer(value.getBytes(StandardCharsets.UTF_8));
            canonical.append(0 == i ? "" : AND).append(key).append(OPERATORS[operator]).append(value);
        }
        return new HeaderFilter(canonical.toString(), keys, operators, values, numbers);
    }

    /** @return what is wrong with the expression, or null when {@link #parse} takes it. */
    public static String problem(final String text)
    {
        try
        {
            parse(text);
            return null;
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
    }

    /** Several expressions as one filter that needs all of them (a repeated {@code --filter}); null for none. */
    public static String allOf(final List<String> expressions)
    {
        return expressions.isEmpty() ? null : String.join(" " + AND + " ", expressions);
    }

    /** The canonical expression: clauses in their order, trimmed, joined by {@code &&}. */
    public String expression()
    {
        return expression;
    }

    /**
     * Whether the headers ({@link HeadersLayout}) match every clause. Allocation-free. Headers that are not well
     * formed (the ingress refuses them, but a journal written before it checked may hold some) are read up to where
     * they go wrong, never past their length.
     */
    public boolean matches(final DirectBuffer headers, final int offset, final int length)
    {
        final int end = offset + length;
        for (int i = 0, count = operators.length; i < count; i++)
        {
            final int entry = find(headers, offset, end, keys[i]);
            if (entry < 0 || !valueMatches(i, headers, entry))
            {
                return false;
            }
        }
        return true;
    }

    /** Where the whole entry with that key starts, or -1 (also where an entry runs past {@code end}). */
    private static int find(final DirectBuffer headers, final int offset, final int end, final UnsafeBuffer key)
    {
        int entry = offset;
        while (entry + HeadersLayout.ENTRY_OVERHEAD <= end)
        {
            final int keyLength = HeadersLayout.keyLength(headers, entry);
            final int valueAt = entry + HeadersLayout.ENTRY_OVERHEAD + keyLength;
            if (valueAt > end)
            {
                return -1;
            }
            final int valueLength = HeadersLayout.valueLength(headers, entry);
            if (valueLength < 0 || valueLength > end - valueAt)
            {
                return -1;
            }
            if (keyLength == key.capacity() && startsWith(headers, HeadersLayout.keyOffset(entry), key))
            {
                return entry;
            }
            entry = valueAt + valueLength;
        }
        return -1;
    }

    private boolean valueMatches(final int clause, final DirectBuffer headers, final int entry)
    {
        final int valueOffset = HeadersLayout.valueOffset(headers, entry);
        final int valueLength = HeadersLayout.valueLength(headers, entry);
        final UnsafeBuffer wanted = values[clause];
        switch (operators[clause])
        {
            case EXISTS:
                return true;
            case EQUALS:
                return valueLength == wanted.capacity() && startsWith(headers, valueOffset, wanted);
            case PREFIX:
                return valueLength >= wanted.capacity() && startsWith(headers, valueOffset, wanted);
            default:
                final double number = parseNumber(headers, valueOffset, valueLength);
                return !Double.isNaN(number) && compares(operators[clause], number, numbers[clause]);
        }
    }

    private static boolean compares(final byte operator, final double value, final double bound)
    {
        return switch (operator)
        {
            case LESS -> value < bound;
            case LESS_OR_EQUAL -> value <= bound;
            case GREATER -> value > bound;
            default -> value >= bound;
        };
    }

    private static boolean startsWith(final DirectBuffer headers, final int offset, final UnsafeBuffer prefix)
    {
        for (int i = 0, length = prefix.capacity(); i < length; i++)
        {
            if (headers.getByte(offset + i) != prefix.getByte(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The decimal number {@code -?digits(.digits)?} the bytes spell, or NaN. Whole and fractional digits are read as
     * longs and put together once, so equal spellings give equal doubles and nothing is allocated.
     */
    static double parseNumber(final DirectBuffer buffer, final int offset, final int length)
    {
        int i = offset;
        final int end = offset + length;
        final boolean negative = i < end && '-' == buffer.getByte(i);
        if (negative)
        {
            i++;
        }
        long whole = 0;
        long fraction = 0;
        long scale = 1;
        int digits = 0;
        boolean point = false;
        boolean digitAfterPoint = false;
        final int firstDigit = i;
        for (; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if ('.' == b && !point && i > firstDigit)
            {
                point = true;
            }
            else if (b >= '0' && b <= '9' && ++digits <= MAX_DIGITS)
            {
                if (point)
                {
                    fraction = fraction * 10 + (b - '0');
                    scale *= 10;
                    digitAfterPoint = true;
                }
                else
                {
                    whole = whole * 10 + (b - '0');
                }
            }
            else
            {
                return Double.NaN;
            }
        }
        if (0 == digits || (point && !digitAfterPoint))
        {
            return Double.NaN;
        }
        final double value = whole + (double)fraction / scale;
        return negative ? -value : value;
    }

    private static List<String> splitClauses(final String text)
    {
        final List<String> clauses = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = text.indexOf(AND, from)) >= 0)
        {
            clauses.add(text.substring(from, at).trim());
            from = at + AND.length();
        }
        clauses.add(text.substring(from).trim());
        for (final String clause : clauses)
        {
            if (clause.isEmpty())
            {
                throw new IllegalArgumentException("filter '" + text + "' has an empty clause around &&");
            }
        }
        return clauses;
    }

    /** Where the clause's operator starts, or -1; a key may hold none of the operator characters. */
    private static int operatorIndex(final String clause)
    {
        for (int i = 0; i < clause.length(); i++)
        {
            if (KEY_FORBIDDEN.indexOf(clause.charAt(i)) >= 0)
            {
                return '&' == clause.charAt(i) || '!' == clause.charAt(i) ? -1 : i;
            }
        }
        return -1;
    }

    private static byte operatorAt(final String clause, final int at)
    {
        final char first = clause.charAt(at);
        final boolean equalsNext = at + 1 < clause.length() && '=' == clause.charAt(at + 1);
        switch (first)
        {
            case '=':
                return EQUALS;
            case '?':
                return EXISTS;
            case '^':
                if (!equalsNext)
                {
                    throw new IllegalArgumentException("filter clause '" + clause + "': '^' is only in '^=' (prefix)");
                }
                return PREFIX;
            case '<':
                return equalsNext ? LESS_OR_EQUAL : LESS;
            default:
                return equalsNext ? GREATER_OR_EQUAL : GREATER;
        }
    }

    private static boolean isComparison(final byte operator)
    {
        return operator >= LESS;
    }

    @Override
    public String toString()
    {
        return expression;
    }
}
