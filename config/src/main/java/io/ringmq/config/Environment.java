package io.ringmq.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What environment-dependent defaults and {@code ~} expansion are derived from. It is passed in
 * rather than read from the JVM so tests can pin user.home and friends.
 *
 * @param properties  the system properties given to the loader (user.home, user.name, java.io.tmpdir)
 * @param devShmExists whether {@code /dev/shm} is a directory, where Aeron is fastest
 */
record Environment(Properties properties, boolean devShmExists) {

    static final String USER_HOME = "user.home";
    static final String USER_NAME = "user.name";
    static final String TMP_DIR = "java.io.tmpdir";

    private static final Path DEV_SHM = Path.of("/dev/shm");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    /** The environment of this machine as far as the file system goes, properties as given. */
    static Environment of(Properties properties) {
        return new Environment(properties, Files.isDirectory(DEV_SHM));
    }

    /** @throws MissingProperty when the property is absent or blank */
    String require(String name) {
        String value = properties.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new MissingProperty(name);
        }
        return value;
    }

    /** Replaces each {@code ${name}} with that property. */
    String expand(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(require(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A property a default or {@code ~} expansion needs is not set. */
    static final class MissingProperty extends RuntimeException {
        MissingProperty(String name) {
            super("system property " + name + " is not set");
        }
    }
}
