package io.ringmq.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the per-queue keys, {@code ringmq.queues.<pattern>.<setting>}, into {@link QueueRule}s. A system property
 * overrides the file's value of the same key. Every problem is reported in the loader's format; none is fatal here.
 */
final class QueueRulesLoader {

    static final String PREFIX = "ringmq.queues.";
    static final List<String> SETTINGS = List.of("visibility.timeout", "max.attempts", "backoff", "strategy",
            "max.age", "max.messages", "max.bytes", "expired", "overflow");

    /** io.ringmq.core.protocol.Names' rule (this module does not depend on core). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}(\\.dlq)?");
    private static final long MAX_DELAY_NS = 12L * 3_600_000_000_000L;
    static final long MAX_AGE_NS = 365L * 24 * 3_600_000_000_000L;
    private static final long MAX_MESSAGES = 1L << 30;

    private final List<String> problems;
    private final Function<SettingSource, String> from;

    private QueueRulesLoader(List<String> problems, Function<SettingSource, String> from) {
        this.problems = problems;
        this.from = from;
    }

    /** @return the rules, most specific first; problems are added to {@code problems}. */
    static List<QueueRule> load(Properties file, Properties system, List<String> problems,
                                Function<SettingSource, String> from) {
        return new QueueRulesLoader(problems, from).load(file, system);
    }

    /**
     * One queue's settings given one by one (the command line's {@code declare queue}), checked by exactly the rules
     * the file's keys are; problems name each setting's label, not a key.
     *
     * @return the settings as a rule for {@code *}, or null with the problems added to {@code problems}
     */
    static QueueRule parseGiven(List<GivenSetting> given, List<String> problems) {
        Map<String, Entry> entries = new TreeMap<>();
        for (GivenSetting setting : given) {
            if (!SETTINGS.contains(setting.setting())) {
                throw new IllegalArgumentException("not a queue setting: " + setting.setting());
            }
            entries.put(setting.setting(), new Entry(setting.label(), setting.text().strip(), SettingSource.DEFAULT));
        }
        return new QueueRulesLoader(problems, source -> "").toRule("*", entries);
    }

    static boolean isQueueKey(String name) {
        return name.startsWith(PREFIX);
    }

    private List<QueueRule> load(Properties file, Properties system) {
        Map<String, Map<String, Entry>> byPattern = new TreeMap<>();
        collect(file, SettingSource.FILE, byPattern);
        collect(system, SettingSource.SYSTEM_PROPERTY, byPattern);

        List<QueueRule> rules = new ArrayList<>();
        byPattern.forEach((pattern, entries) -> {
            QueueRule rule = toRule(pattern, entries);
            if (rule != null) {
                rules.add(rule);
            }
        });
        rules.sort(QueueRule.MOST_SPECIFIC_FIRST);
        return rules;
    }

    private record Entry(String key, String text, SettingSource source) {
    }

    /** A setting given outside the file: its name as in {@link #SETTINGS}, what a problem calls it, its text. */
    record GivenSetting(String setting, String label, String text) {
    }

    private void collect(Properties properties, SettingSource source, Map<String, Map<String, Entry>> byPattern) {
        for (String key : properties.stringPropertyNames()) {
            if (!isQueueKey(key)) {
                continue;
            }
            String text = properties.getProperty(key).strip();
            String setting = SETTINGS.stream().filter(s -> key.endsWith("." + s)).findFirst().orElse(null);
            String pattern = setting == null ? "" :
                    key.substring(PREFIX.length(), Math.max(PREFIX.length(), key.length() - setting.length() - 1));
            if (setting == null || pattern.isEmpty()) {
                problems.add(key + "=" + text + " is invalid: per-queue keys are " + PREFIX +
                        "<queue, prefix* or *suffix>.<" + String.join("|", SETTINGS) + ">" + from.apply(source));
                continue;
            }
            if (!isPattern(pattern)) {
                problems.add(key + "=" + text + " is invalid: '" + pattern + "' is not a queue name " +
                        "([A-Za-z0-9._-], 1-255, or up to 259 ending in .dlq), a name prefix ending in '*', " +
                        "a name suffix after a '*', or '*'" +
                        from.apply(source));
                continue;
            }
            byPattern.computeIfAbsent(pattern, p -> new TreeMap<>()).put(setting, new Entry(key, text, source));
        }
    }

    /** A name, {@code prefix*}, {@code *suffix} or {@code *}; one {@code *} at most, at either end. */
    private static boolean isPattern(String pattern) {
        if (pattern.equals("*")) {
            return true;
        }
        String literal = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) :
                pattern.startsWith("*") ? pattern.substring(1) : pattern;
        return NAME.matcher(literal).matches();
    }

    private QueueRule toRule(String pattern, Map<String, Entry> entries) {
        int before = problems.size();
        long visibilityTimeoutNs = 0;
        int maxAttempts = 0;
        QueueRule.Backoff backoff = QueueRule.Backoff.UNSET;
        long initialDelayNs = 0;
        long maxDelayNs = 0;
        QueueRule.Strategy strategy = QueueRule.Strategy.UNSET;

        Entry entry = entries.get("visibility.timeout");
        if (entry != null) {
            visibilityTimeoutNs = delay(entry, entry.text(), "a duration from 1ms to 12h, e.g. 30s");
        }
        entry = entries.get("max.attempts");
        if (entry != null) {
            try {
                maxAttempts = Integer.parseInt(entry.text());
            } catch (NumberFormatException e) {
                maxAttempts = -1;
            }
            if (maxAttempts < 1 || maxAttempts > 1000) {
                invalid(entry, "an integer from 1 to 1000");
            }
        }
        entry = entries.get("backoff");
        if (entry != null) {
            String allowed = "none, fixed:<delay> or exponential:<initial>:<max> (delays 1ms to 12h, e.g. " +
                    "exponential:100ms:30s)";
            String[] parts = entry.text().toLowerCase(Locale.ROOT).split(":", -1);
            switch (parts[0]) {
                case "none" -> {
                    backoff = parts.length == 1 ? QueueRule.Backoff.NONE : null;
                }
                case "fixed" -> {
                    backoff = parts.length == 2 ? QueueRule.Backoff.FIXED : null;
                    if (backoff != null) {
                        initialDelayNs = delay(entry, parts[1], allowed);
                    }
                }
                case "exponential" -> {
                    backoff = parts.length == 3 ? QueueRule.Backoff.EXPONENTIAL : null;
                    if (backoff != null) {
                        initialDelayNs = delay(entry, parts[1], allowed);
                        maxDelayNs = delay(entry, parts[2], allowed);
                        if (initialDelayNs > 0 && maxDelayNs > 0 && maxDelayNs < initialDelayNs) {
                            invalid(entry, allowed + ", with the max not below the initial delay");
                        }
                    }
                }
                default -> backoff = null;
            }
            if (backoff == null) {
                invalid(entry, allowed);
            }
        }
        entry = entries.get("strategy");
        if (entry != null) {
            switch (entry.text().toLowerCase(Locale.ROOT)) {
                case "round-robin" -> strategy = QueueRule.Strategy.ROUND_ROBIN;
                case "least-outstanding" -> strategy = QueueRule.Strategy.LEAST_OUTSTANDING;
                default -> invalid(entry, "round-robin or least-outstanding");
            }
        }
        QueueRule.Limits limits = limits(entries);
        return problems.size() > before ? null : new QueueRule(
                pattern, visibilityTimeoutNs, maxAttempts, backoff, initialDelayNs, maxDelayNs, strategy, limits);
    }

    private QueueRule.Limits limits(Map<String, Entry> entries) {
        long maxAgeNs = 0;
        long maxMessages = 0;
        long maxBytes = 0;
        QueueRule.LimitAction expired = QueueRule.LimitAction.UNSET;
        QueueRule.LimitAction overflow = QueueRule.LimitAction.UNSET;

        Entry entry = entries.get("max.age");
        if (entry != null) {
            maxAgeNs = durationOrNone(entry.text(), MAX_AGE_NS);
            if (maxAgeNs < 0) {
                invalid(entry, DURATION_OR_NONE);
            }
        }
        entry = entries.get("max.messages");
        if (entry != null) {
            try {
                maxMessages = none(entry) ? QueueRule.NO_LIMIT : Long.parseLong(entry.text());
            } catch (NumberFormatException e) {
                maxMessages = -1;
            }
            if (maxMessages < 1 || (maxMessages > MAX_MESSAGES && maxMessages != QueueRule.NO_LIMIT)) {
                invalid(entry, "none or an integer from 1 to " + MAX_MESSAGES);
            }
        }
        entry = entries.get("max.bytes");
        if (entry != null) {
            maxBytes = sizeOrNone(entry.text());
            if (maxBytes < 1) {
                invalid(entry, SIZE_OR_NONE);
            }
        }
        entry = entries.get("expired");
        if (entry != null) {
            expired = action(entry, false);
        }
        entry = entries.get("overflow");
        if (entry != null) {
            overflow = action(entry, true);
        }
        return new QueueRule.Limits(maxAgeNs, maxMessages, maxBytes, expired, overflow);
    }

    private static boolean none(Entry entry) {
        return entry.text().equalsIgnoreCase("none");
    }

    static final String SIZE_OR_NONE = "none or a size of at least 1 byte, e.g. 512m";
    static final String DURATION_OR_NONE = "none or a duration from 1ms to 365 days in whole milliseconds, e.g. 1h";

    /** As max.bytes takes it: {@link QueueRule#NO_LIMIT} for none, else bytes (a bare number), -1 if invalid. */
    static long sizeOrNone(String text) {
        if (text.equalsIgnoreCase("none")) {
            return QueueRule.NO_LIMIT;
        }
        try {
            long bytes = ByteSize.parse(text);
            return bytes < 1 ? -1 : bytes;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** As max.age takes it: {@link QueueRule#NO_LIMIT} for none, else whole-ms nanos up to 365 days, -1 if invalid. */
    static long durationOrNone(String text, long maxNanos) {
        if (text.equalsIgnoreCase("none")) {
            return QueueRule.NO_LIMIT;
        }
        try {
            long nanos = Durations.parseNanos(text);
            if (nanos >= 1_000_000L && nanos <= maxNanos && nanos % 1_000_000L == 0) {
                return nanos;
            }
        } catch (IllegalArgumentException e) {
            // invalid
        }
        return -1;
    }

    private QueueRule.LimitAction action(Entry entry, boolean mayReject) {
        switch (entry.text().toLowerCase(Locale.ROOT)) {
            case "dead-letter" -> {
                return QueueRule.LimitAction.DEAD_LETTER;
            }
            case "drop" -> {
                return QueueRule.LimitAction.DROP;
            }
            case "reject-publish" -> {
                if (mayReject) {
                    return QueueRule.LimitAction.REJECT_PUBLISH;
                }
            }
            default -> { }
        }
        invalid(entry, mayReject ? "dead-letter, drop or reject-publish" : "dead-letter or drop");
        return QueueRule.LimitAction.UNSET;
    }

    /** A delay in whole milliseconds (what the state machine keeps), 1 ms to 12 h; reports and returns -1 if not. */
    private long delay(Entry entry, String text, String allowed) {
        return duration(entry, text, MAX_DELAY_NS, allowed + " in whole milliseconds");
    }

    private long duration(Entry entry, long maxNanos, String allowed) {
        return duration(entry, entry.text(), maxNanos, allowed);
    }

    /** Whole milliseconds from 1 ms to {@code maxNanos}; reports and returns -1 if not. */
    private long duration(Entry entry, String text, long maxNanos, String allowed) {
        try {
            long nanos = Durations.parseNanos(text);
            if (nanos >= 1_000_000L && nanos <= maxNanos && nanos % 1_000_000L == 0) {
                return nanos;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        invalid(entry, allowed);
        return -1;
    }

    private void invalid(Entry entry, String allowed) {
        problems.add(entry.key() + "=" + entry.text() + " is invalid: must be " + allowed + from.apply(entry.source()));
    }
}
