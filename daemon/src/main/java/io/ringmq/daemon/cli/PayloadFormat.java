package io.ringmq.daemon.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How a command prints a payload ({@code --payload-format}). {@code text} is UTF-8, and in line-oriented output a tab,
 * a line break or a backslash is escaped ({@code \t}, {@code \n}, {@code \r}, {@code \\}) so one message stays one
 * line with its fields where they belong; JSON escapes by its own rules. {@code base64} prints the bytes as they are,
 * for binary payloads.
 */
enum PayloadFormat
{
    text,
    base64;

    /** For a field of a tab-separated line. */
    String forLine(final byte[] payload)
    {
        return this == base64 ? Base64.getEncoder().encodeToString(payload) :
            escapeForLine(new String(payload, StandardCharsets.UTF_8));
    }

    /** For a JSON string field (the generator escapes). */
    String forJson(final byte[] payload)
    {
        return this == base64 ? Base64.getEncoder().encodeToString(payload) :
            new String(payload, StandardCharsets.UTF_8);
    }

    static String escapeForLine(final String text)
    {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            final String replacement = switch (c)
            {
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\\' -> "\\\\";
                default -> null;
            };
            if (null != replacement && null == escaped)
            {
                escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (null != escaped)
            {
                if (null != replacement)
                {
                    escaped.append(replacement);
                }
                else
                {
                    escaped.append(c);
                }
            }
        }
        return null == escaped ? text : escaped.toString();
    }
}
