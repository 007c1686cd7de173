package io.ringmq.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A queue's settings given outside the config file, such as by {@code ringmq declare queue}, read with the same
 * spellings and ranges as the file's {@code ringmq.queues.<pattern>.<setting>} keys: durations with units
 * ({@code 30s}, {@code 500ms}; a bare number is milliseconds), sizes with units ({@code 64m}), {@code none} for no
 * bound, the actions and strategies by the names the README uses. One reader, so the two never disagree.
 */
public final class QueueSettings {

    private final List<QueueRulesLoader.GivenSetting> given = new ArrayList<>();

    /**
     * @param setting as in the config keys: visibility.timeout, max.attempts, backoff, strategy, max.age,
     *                max.messages, max.bytes, expired, overflow
     * @param label   what a problem calls it, e.g. the option {@code --max-age}
     * @param text    the value as the user wrote it; null = not given
     */
    public QueueSettings set(String setting, String label, String text) {
        if (text != null) {
            given.add(new QueueRulesLoader.GivenSetting(setting, label, text));
        }
        return this;
    }

    /**
     * A size spelled as the file's {@code max.bytes} takes it ({@code 64m}, a bare number of bytes, or {@code none}),
     * for a setting the file has no key for, such as {@code ringmq declare queue}'s retained bytes.
     *
     * @return the bytes, or {@link QueueRule#NO_LIMIT} for none
     * @throws ConfigException naming the value and what it must be
     */
    public static long sizeOrNone(String label, String text) {
        long bytes = QueueRulesLoader.sizeOrNone(text.strip());
        if (bytes < 1) {
            throw new ConfigException(List.of(label + "=" + text + " is invalid: must be " +
                    QueueRulesLoader.SIZE_OR_NONE));
        }
        return bytes;
    }

    /**
     * A duration spelled as the file's {@code max.age} takes it ({@code 5s}, a bare number of milliseconds, or
     * {@code none}; 1 ms to 365 days), for a setting the file has no key for, such as a queue's default delay.
     *
     * @return whole milliseconds, or {@link QueueRule#NO_LIMIT} for none
     * @throws ConfigException naming the value and what it must be
     */
    public static long millisOrNone(String label, String text) {
        long nanos = QueueRulesLoader.durationOrNone(text.strip(), QueueRulesLoader.MAX_AGE_NS);
        if (nanos < 0) {
            throw new ConfigException(List.of(label + "=" + text + " is invalid: must be " +
                    QueueRulesLoader.DURATION_OR_NONE));
        }
        return nanos == QueueRule.NO_LIMIT ? QueueRule.NO_LIMIT : nanos / 1_000_000L;
    }

    /**
     * @return the settings as a rule (pattern {@code *}); what was not given is unset (0 or UNSET)
     * @throws ConfigException naming every invalid value with what it must be
     */
    public QueueRule parse() {
        List<String> problems = new ArrayList<>();
        QueueRule rule = QueueRulesLoader.parseGiven(given, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return rule;
    }
}
