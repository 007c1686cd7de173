package io.ringmq.config;

import java.nio.file.Path;
import java.util.Properties;

/** A fixed, fake environment so tests do not depend on who runs them or on /dev/shm. */
final class TestEnv {

    static final String HOME = "/home/tester";
    static final String USER = "tester";
    static final String TMP = "/var/tmp/t";

    private TestEnv() {
    }

    /** The fake environment plus the given name/value pairs. */
    static Properties props(String... namesAndValues) {
        Properties p = new Properties();
        p.setProperty("user.home", HOME);
        p.setProperty("user.name", USER);
        p.setProperty("java.io.tmpdir", TMP);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            p.setProperty(namesAndValues[i], namesAndValues[i + 1]);
        }
        return p;
    }

    /** Loads with /dev/shm present, whatever this machine has. */
    static RingmqConfig load(Path file, Properties systemProperties) {
        return ConfigLoader.load(file, systemProperties, new Environment(systemProperties, true));
    }

    static RingmqConfig load(String... systemNamesAndValues) {
        return load(null, props(systemNamesAndValues));
    }

    /** The ConfigException message for loading these system properties; fails if loading succeeds. */
    static String problems(String... systemNamesAndValues) {
        try {
            load(systemNamesAndValues);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException");
    }
}
