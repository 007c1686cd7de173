package io.ringmq.core.state;

/**
 * A shell-style name pattern for listing queues: {@code *} matches any run of characters (none included), {@code ?}
 * exactly one, anything else itself; an empty pattern matches every name. Unlike a topic wildcard it ignores dots:
 * {@code orders*} lists {@code orders} and {@code orders.dlq}.
 */
final class NamePattern
{
    private NamePattern()
    {
    }

    static boolean matches(final String pattern, final String name)
    {
        if (pattern.isEmpty())
        {
            return true;
        }
        // Greedy with one backtrack point: the last star seen, retried one character further on each mismatch.
        int p = 0;
        int n = 0;
        int star = -1;
        int afterStar = 0;
        while (n < name.length())
        {
            if (p < pattern.length() && ('?' == pattern.charAt(p) || pattern.charAt(p) == name.charAt(n)))
            {
                p++;
                n++;
            }
            else if (p < pattern.length() && '*' == pattern.charAt(p))
            {
                star = p++;
                afterStar = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++afterStar;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.length() && '*' == pattern.charAt(p))
        {
            p++;
        }
        return p == pattern.length();
    }
}
