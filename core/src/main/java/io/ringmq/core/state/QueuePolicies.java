package io.ringmq.core.state;

import io.ringmq.core.protocol.Names;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides each queue's {@link QueuePolicy}, field by field: what a client declared when it created the queue, else
 * what the configured rules whose patterns match the name set (the first in journal order first: the daemon journals
 * them most specific first), else the daemon's defaults.
 * <p>
 * Rules and defaults arrive as journaled commands (NodeStarted, then one QueueRule per configured rule), so a replay
 * resolves every queue exactly as the run that wrote the journal did. That includes how: a run whose NodeStarted
 * predates schema version {@value #MERGED_RULES_SINCE_VERSION} resolved by the first matching rule alone, and its
 * journal and snapshots replay that way.
 */
final class QueuePolicies
{
    /** The schema version from which a daemon merges every matching rule; before it, the first one decided alone. */
    static final int MERGED_RULES_SINCE_VERSION = 4;

    private final ArrayList<Rule> rules = new ArrayList<>();
    private QueuePolicy defaults;
    private boolean mergesRules = true;

    QueuePolicies(final QueuePolicy defaults)
    {
        this.defaults = defaults;
    }

    /**
     * A new run: its defaults, how it resolves rules ({@code mergesRules}: every match adds what it sets; else the
     * first match decides), and no rules until its QueueRule commands arrive.
     */
    void reset(final QueuePolicy defaults, final boolean mergesRules)
    {
        this.defaults = defaults;
        this.mergesRules = mergesRules;
        rules.clear();
    }

    /**
     * A new run with the defaults it was started with, each kept from the previous run where out of range, and no
     * rules until its QueueRule commands arrive; {@code schemaVersion} is the version its NodeStarted was written in.
     *
     * @param maxBytes the run's default bound on a queue's payload bytes, {@link QueueLimits#NONE} for none.
     */
    void startRun(final long visibilityTimeoutMs, final int maxAttempts, final long maxBytes, final int schemaVersion)
    {
        reset(QueuePolicy.defaults(
            visibilityTimeoutMs > 0 && visibilityTimeoutMs <= QueueStateMachine.MAX_VISIBILITY_TIMEOUT_MS ?
                visibilityTimeoutMs : defaults.visibilityTimeoutMs(),
            maxAttempts > 0 && maxAttempts <= QueuePolicy.MAX_ATTEMPTS_LIMIT ? maxAttempts : defaults.maxAttempts(),
            maxBytes),
            schemaVersion >= MERGED_RULES_SINCE_VERSION);
    }

    void addRule(final String pattern, final QueuePolicy policy)
    {
        rules.add(new Rule(pattern, policy));
    }

    QueuePolicy resolve(final String queueName, final QueuePolicy declared)
    {
        QueuePolicy resolved = declared;
        for (int i = 0, size = rules.size(); i < size; i++)
        {
            final Rule rule = rules.get(i);
            if (matches(rule.pattern, queueName))
            {
                resolved = resolved.orElse(rule.policy);
                if (!mergesRules)
                {
                    break;
                }
            }
        }
        return resolved.orElse(defaults);
    }

    QueuePolicy defaults()
    {
        return defaults;
    }

    boolean mergesRules()
    {
        return mergesRules;
    }

    List<Rule> rules()
    {
        return rules;
    }

    /**
     * A pattern is a queue name, a name prefix followed by '*', or a name suffix after a '*' ("*" alone matches every
     * queue).
     */
    static boolean matches(final String pattern, final String queueName)
    {
        final int last = pattern.length() - 1;
        if (last >= 0 && pattern.charAt(last) == '*')
        {
            return queueName.startsWith(pattern.substring(0, last));
        }
        if (last >= 0 && pattern.charAt(0) == '*')
        {
            return queueName.endsWith(pattern.substring(1));
        }
        return pattern.equals(queueName);
    }

    /** @return null for a valid pattern, else why it is not one. */
    static String patternProblem(final String pattern)
    {
        if (pattern.equals("*"))
        {
            return null;
        }
        final String literal = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) :
            pattern.startsWith("*") ? pattern.substring(1) : pattern;
        return Names.isValid(literal) ? null : "queue pattern '" + pattern + "' is invalid: a queue name (" +
            Names.RULE + "), a name prefix ending in '*', a name suffix after a '*', or '*'";
    }

    record Rule(String pattern, QueuePolicy policy)
    {
    }
}
