package io.ringmq.core.state;

import io.ringmq.core.protocol.Names;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides each queue's {@link QueuePolicy}: what a client declared when it created the queue, else the first
 * configured rule whose pattern matches the name, else the daemon's defaults, field by field.
 * <p>
 * Rules and defaults arrive as journaled commands (NodeStarted, then one QueueRule per configured rule), so a replay
 * resolves every queue exactly as the run that wrote the journal did.
 */
final class QueuePolicies
{
    private final ArrayList<Rule> rules = new ArrayList<>();
    private QueuePolicy defaults;

    QueuePolicies(final QueuePolicy defaults)
    {
        this.defaults = defaults;
    }

    /** A new run: its defaults, and no rules until its QueueRule commands arrive. */
    void reset(final QueuePolicy defaults)
    {
        this.defaults = defaults;
        rules.clear();
    }

    /**
     * A new run with the defaults it was started with, each kept from the previous run where out of range, and no
     * rules until its QueueRule commands arrive.
     */
    void startRun(final long visibilityTimeoutMs, final int maxAttempts)
    {
        reset(QueuePolicy.defaults(
            visibilityTimeoutMs > 0 && visibilityTimeoutMs <= QueueStateMachine.MAX_VISIBILITY_TIMEOUT_MS ?
                visibilityTimeoutMs : defaults.visibilityTimeoutMs(),
            maxAttempts > 0 && maxAttempts <= QueuePolicy.MAX_ATTEMPTS_LIMIT ? maxAttempts : defaults.maxAttempts()));
    }

    void addRule(final String pattern, final QueuePolicy policy)
    {
        rules.add(new Rule(pattern, policy));
    }

    QueuePolicy resolve(final String queueName, final QueuePolicy declared)
    {
        QueuePolicy fromRules = QueuePolicy.UNSET;
        for (int i = 0, size = rules.size(); i < size; i++)
        {
            final Rule rule = rules.get(i);
            if (matches(rule.pattern, queueName))
            {
                fromRules = rule.policy;
                break;
            }
        }
        return declared.orElse(fromRules).orElse(defaults);
    }

    QueuePolicy defaults()
    {
        return defaults;
    }

    List<Rule> rules()
    {
        return rules;
    }

    /** A pattern is a queue name, or a name prefix followed by '*' ("*" alone matches every queue). */
    static boolean matches(final String pattern, final String queueName)
    {
        final int last = pattern.length() - 1;
        if (last >= 0 && pattern.charAt(last) == '*')
        {
            return queueName.startsWith(pattern.substring(0, last));
        }
        return pattern.equals(queueName);
    }

    /** @return null for a valid pattern, else why it is not one. */
    static String patternProblem(final String pattern)
    {
        final String prefix = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
        if (prefix.isEmpty() && pattern.equals("*"))
        {
            return null;
        }
        return Names.isValid(prefix) ? null :
            "queue pattern '" + pattern + "' is invalid: a queue name (" + Names.RULE + "), optionally ending in '*'";
    }

    record Rule(String pattern, QueuePolicy policy)
    {
    }
}
