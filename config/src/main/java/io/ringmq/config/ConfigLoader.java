package io.ringmq.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Resolves every key (system property over file over default), validates all of them and either
 * returns a config or throws one {@link ConfigException} listing every problem found.
 */
final class ConfigLoader {

    /** Only system properties under this prefix are ours; the JVM's own (java.*, user.*) are not. */
    static final String PREFIX = "ringmq.";

    private final Path file;
    private final Properties fileProperties;
    private final Properties systemProperties;
    private final Environment environment;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Setting> settings = new LinkedHashMap<>();

    private ConfigLoader(Path file, Properties fileProperties, Properties systemProperties, Environment environment) {
        this.file = file;
        this.fileProperties = fileProperties;
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /**
     * @param file             properties file, or null for none
     * @param systemProperties overrides, and the environment defaults are derived from
     * @param environment      built from {@code systemProperties}; separate so tests can fake /dev/shm
     */
    static RingmqConfig load(Path file, Properties systemProperties, Environment environment) {
        Properties fromFile = file == null ? new Properties() : readFile(file);
        ConfigLoader loader = new ConfigLoader(file, fromFile, systemProperties, environment);
        return loader.resolve();
    }

    /** A snapshot holding only string entries, following the defaults chain like getProperty does. */
    static Properties snapshot(Properties properties) {
        Properties copy = new Properties();
        for (String name : properties.stringPropertyNames()) {
            copy.setProperty(name, properties.getProperty(name));
        }
        return copy;
    }

    private RingmqConfig resolve() {
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            resolveKey(key);
        }
        reportUnknownKeys(fileProperties, SettingSource.FILE, false);
        reportUnknownKeys(systemProperties, SettingSource.SYSTEM_PROPERTY, true);
        List<QueueRule> queueRules = QueueRulesLoader.load(fileProperties, systemProperties, problems, this::from);
        // Cross rules last: they are only meaningful between values that are each valid.
        for (CrossRule rule : ConfigKeys.CROSS_RULES) {
            checkCrossRule(rule);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new RingmqConfig(settings, queueRules, file);
    }

    private <T> void resolveKey(ConfigKey<T> key) {
        String text;
        SettingSource source;
        if (systemProperties.getProperty(key.name()) != null) {
            text = systemProperties.getProperty(key.name());
            source = SettingSource.SYSTEM_PROPERTY;
        } else if (fileProperties.getProperty(key.name()) != null) {
            text = fileProperties.getProperty(key.name());
            source = SettingSource.FILE;
        } else {
            source = SettingSource.DEFAULT;
            try {
                text = key.defaultValue().resolve(environment);
            } catch (Environment.MissingProperty e) {
                problems.add(key.name() + " has no default: " + e.getMessage() + "; set " + key.name() + " explicitly");
                return;
            }
        }
        text = text.strip();
        T value;
        try {
            value = key.type().parse(text, environment);
        } catch (Environment.MissingProperty e) {
            problems.add(key.name() + "=" + text + " cannot be resolved: " + e.getMessage() + from(source));
            return;
        } catch (IllegalArgumentException e) {
            String allowed = key.rule().acceptsAll()
                    ? "must be " + key.type().expected()
                    : "not " + key.type().expected() + "; must be " + key.rule().allowed();
            problems.add(key.name() + "=" + text + " is invalid: " + allowed + from(source));
            return;
        }
        if (!key.rule().accepts(value)) {
            problems.add(invalid(key.name(), text, key.rule().allowed(), source));
            return;
        }
        settings.put(key.name(), new Setting(key, value, source));
    }

    /**
     * Every unknown key in our own file is a mistake; among system properties only those under
     * our prefix are, since the JVM and other libraries keep theirs there too.
     */
    private void reportUnknownKeys(Properties properties, SettingSource source, boolean onlyOurPrefix) {
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            if (ConfigKeys.byName(name).isPresent() || QueueRulesLoader.isQueueKey(name)
                    || (onlyOurPrefix && !name.startsWith(PREFIX))) {
                continue;
            }
            String hint = KeySuggester.suggest(name, ConfigKeys.names())
                    .map(known -> "; did you mean " + known + "?")
                    .orElse("");
            problems.add(name + "=" + properties.getProperty(name).strip() + " is invalid: unknown key" + hint + from(source));
        }
    }

    private void checkCrossRule(CrossRule rule) {
        if (!settings.containsKey(rule.subject().name())
                || !rule.others().stream().allMatch(key -> settings.containsKey(key.name()))) {
            return;
        }
        rule.violation().apply(values()).ifPresent(allowed -> {
            Setting subject = settings.get(rule.subject().name());
            problems.add(invalid(rule.subject().name(), subject.formattedValue(), allowed, subject.source()));
        });
    }

    private CrossRule.Values values() {
        return new CrossRule.Values() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T get(ConfigKey<T> key) {
                return (T) settings.get(key.name()).value();
            }
        };
    }

    private String invalid(String name, String text, String allowed, SettingSource source) {
        return invalid(name, text, allowed, source, file);
    }

    /** The one wording of a bad value, shared with checks made outside this module ({@link RingmqConfig#invalidValue}). */
    static String invalid(String name, String text, String allowed, SettingSource source, Path file) {
        return name + "=" + text + " is invalid: must be " + allowed + from(source, file);
    }

    private String from(SettingSource source) {
        return from(source, file);
    }

    private static String from(SettingSource source, Path file) {
        return switch (source) {
            case DEFAULT -> " (default)";
            case FILE -> " (from file " + file + ")";
            case SYSTEM_PROPERTY -> " (from system property)";
        };
    }

    /** UTF-8 rather than the properties format's historical ISO-8859-1: that is what editors write today. */
    private static Properties readFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigException("config file " + file + " is a directory, not a properties file");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException is how Properties reports a malformed unicode escape.
            throw new ConfigException("config file " + file + " cannot be read: " + e);
        }
        return properties;
    }
}
